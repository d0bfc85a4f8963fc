"""Chat parameters an earlier seed page documents in an inline body, which the newest page replaced
by `$ref: ChatGenerationParams`, are still arguments of `client.chat.send` and go on the wire
(the merge keeps them through the `$ref`; tests/spec/test_spec_merge_refs.py), over loopback HTTP."""

from __future__ import annotations

from tests.support.fault_server import FaultServer, json_reply
from tests.support.seed_package import seed_package


def test_chat_send_takes_and_sends_the_parameters_of_the_earlier_page() -> None:
    package = seed_package()
    answer = {"id": "gen-1", "object": "chat.completion", "created": 1, "model": "m",
              "choices": []}
    with FaultServer() as server:
        server.script(json_reply(answer))
        with package.OpenRouter(api_key="k", base_url=server.url, max_retries=0) as client:
            client.chat.send(model="m", messages=[{"role": "user", "content": "hi"}], top_k=40,
                             transforms=["middle-out"], repetition_penalty=1.1, min_p=0.05,
                             top_a=0.2, usage={"include": True})
        (request,) = server.requests
    body = request.json()
    assert isinstance(body, dict)
    assert {k: body[k] for k in ("top_k", "transforms", "repetition_penalty", "min_p", "top_a",
                                 "usage")} == {"top_k": 40, "transforms": ["middle-out"],
                                               "repetition_penalty": 1.1, "min_p": 0.05,
                                               "top_a": 0.2, "usage": {"include": True}}
