"""What the client sends (auth, headers, query, body, escape hatches) and its settings."""

from __future__ import annotations

import json
from types import SimpleNamespace

import httpx
import pytest

from tests.runtime.helpers import SECRET, Driver, assert_no_secret, identity
from tests.support.fault_server import FaultServer, json_reply


def test_auth_attribution_and_default_headers(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(json_reply({"ok": True}))
    api.call(api.options(), http_referer="https://app.example", x_title="My App",
             default_headers={"X-Team": "core"})
    headers = api.server.requests[0].headers
    assert headers["authorization"] == f"Bearer {SECRET}"
    assert headers["http-referer"] == "https://app.example"
    assert headers["x-title"] == "My App"
    assert headers["x-team"] == "core"
    assert headers["accept"] == "application/json"
    assert headers["user-agent"] == "OpenRouter-python/9.9.9-test"
    assert "content-type" not in headers
    assert "'authorization': '<redacted>'" in debug_logs.text
    assert_no_secret(debug_logs)


def test_attribution_headers_are_omitted_when_not_given(api: Driver):
    api.server.script(json_reply({"ok": True}))
    api.call(api.options())
    assert "http-referer" not in api.server.requests[0].headers
    assert "x-title" not in api.server.requests[0].headers


def test_escape_hatches_win_over_everything(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(json_reply({"ok": True}))
    options = api.options(
        "POST", "/chat/completions",
        query={"a": 1, "skip": None, "flag": True, "many": ["x", "y"]},
        json_body={"model": "m", "temperature": 0.5},
        headers={"X-Op": "op", "X-Both": "op"},
        extra_headers={"x-both": "extra", "X-Title": "override"},
        extra_query={"route": "fallback", "a": 2},
        extra_body={"route": "fallback", "temperature": 1, "provider": {"sort": "price"}},
    )
    api.call(options, default_query={"d": "q"}, x_title="App")
    request = api.server.requests[0]
    assert request.path == "/chat/completions"
    assert request.query == {"d": ["q"], "a": ["2"], "flag": ["true"], "many": ["x", "y"],
                             "route": ["fallback"]}
    assert request.json() == {"model": "m", "temperature": 1, "route": "fallback",
                              "provider": {"sort": "price"}}
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-op"] == "op"
    assert request.headers["x-both"] == "extra"
    assert request.headers["x-title"] == "override"


def test_none_in_extra_query_removes_a_parameter(api: Driver):
    api.server.script(json_reply({}))
    api.call(api.options(query={"a": 1, "b": 2}, extra_query={"a": None, "d": None}),
             default_query={"d": "x"})
    assert api.server.requests[0].query == {"b": ["2"]}


def test_stream_options_are_refused_by_request(api: Driver):
    with pytest.raises(ValueError, match="request_stream"):
        api.call(api.options("POST", "/chat/completions", json_body={}, stream=True))
    with pytest.raises(ValueError, match="request_stream"):
        api.call(api.options("POST", "/chat/completions", json_body={}, stream=True), raw=True)
    assert api.server.attempts == 0


def test_extra_body_alone_makes_a_body_and_non_ascii_is_utf8(api: Driver):
    api.server.script(json_reply({"ok": True}), json_reply({"ok": True}))
    api.call(api.options("POST", "/x", extra_body={"new_param": True}))
    api.call(api.options("POST", "/y", json_body={"text": "héllo 🚀"}))
    assert api.server.requests[0].json() == {"new_param": True}
    assert api.server.requests[1].body == json.dumps(
        {"text": "héllo 🚀"}, ensure_ascii=False, separators=(",", ":")).encode()


def test_extra_body_needs_an_object_body(api: Driver):
    with pytest.raises(TypeError):
        api.call(api.options("POST", "/x", json_body=[1, 2], extra_body={"a": 1}))
    assert api.server.attempts == 0


def test_path_joins_base_url_with_or_without_slashes(api: Driver):
    api.server.script(json_reply({}), json_reply({}))
    api.call(api.options(path="keys/a%2Fb"), base_url=api.server.url + "/api/v1/")
    api.call(api.options(path="/keys"), base_url=api.server.url + "/api/v1")
    assert [r.target for r in api.server.requests] == ["/api/v1/keys/a%2Fb", "/api/v1/keys"]


def test_raw_response_has_status_headers_and_parsed_body(api: Driver):
    api.server.script(json_reply({"data": [1]}, status=201, headers={"X-Generation-Id": "g-1"}))
    response = api.call(api.options("POST", "/keys", json_body={}), raw=True,
                        decode=lambda v: v["data"])
    assert response.status_code == 201
    assert response.headers["x-generation-id"] == "g-1"
    assert response.parsed == [1] and response.parse() == [1]
    assert response.http_response.json() == {"data": [1]}
    assert response.retries_taken == 0
    assert response.url.path == "/keys"
    assert response.elapsed.total_seconds() >= 0
    assert "201" in repr(response)


def test_missing_key_is_a_clear_error(rt: SimpleNamespace, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(rt.constants.API_KEY_ENV, raising=False)
    with pytest.raises(rt.exc.MissingAPIKeyError, match="RT_UNDER_TEST_API_KEY"):
        rt.base.SyncAPIClient()
    with pytest.raises(rt.exc.OpenRouterError):
        rt.base.AsyncAPIClient(api_key="  ")


def test_key_and_base_url_from_the_environment(
    rt: SimpleNamespace, server: FaultServer, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv(rt.constants.API_KEY_ENV, SECRET + "\n")
    monkeypatch.setenv(rt.constants.BASE_URL_ENV, server.url + "/v9")
    server.script(json_reply({"ok": True}))
    with rt.base.SyncAPIClient() as client:
        assert client.base_url == server.url + "/v9"
        assert client.request(rt.base.RequestOptions("GET", "/models"), identity) == {"ok": True}
    assert server.requests[0].headers["authorization"] == f"Bearer {SECRET}"
    assert server.requests[0].path == "/v9/models"
    assert rt.constants.BASE_URL_ENV == "RT_UNDER_TEST_BASE_URL"


def test_default_base_url_and_timeout(rt: SimpleNamespace, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(rt.constants.BASE_URL_ENV, raising=False)
    with rt.base.SyncAPIClient(api_key=SECRET) as client:
        assert client.base_url == "https://openrouter.ai/api/v1"
        assert client.timeout == httpx.Timeout(120.0, connect=10.0)
        assert client.max_retries == 2


def test_key_with_unsendable_characters_is_refused_without_echo(rt: SimpleNamespace):
    with pytest.raises(rt.exc.OpenRouterError) as caught:
        rt.base.SyncAPIClient(api_key=SECRET + "\x00x")
    assert SECRET not in str(caught.value)


def test_repr_and_str_never_show_the_key(rt: SimpleNamespace):
    with rt.base.SyncAPIClient(api_key=SECRET, http_referer="r") as client:
        assert SECRET not in repr(client) and SECRET not in str(client)
        assert "base_url=" in repr(client)
        copy = client.with_options(timeout=1.0)
        assert SECRET not in repr(copy)


def test_with_options_changes_settings_and_shares_the_pool(rt: SimpleNamespace,
                                                          server: FaultServer):
    server.script(json_reply({"n": 1}), json_reply({"n": 2}))
    with rt.base.SyncAPIClient(api_key=SECRET, base_url=server.url) as client:
        tuned = client.with_options(timeout=3.0, max_retries=0, default_headers={"X-A": "b"})
        assert (tuned.timeout, tuned.max_retries) == (3.0, 0)
        assert (client.timeout, client.max_retries) == (httpx.Timeout(120.0, connect=10.0), 2)
        assert tuned.request(rt.base.RequestOptions("GET", "/a"), identity) == {"n": 1}
        assert client.request(rt.base.RequestOptions("GET", "/b"), identity) == {"n": 2}
        tuned.close()  # does not close the shared pool
        assert not client._client.is_closed
    first, second = server.requests
    assert first.headers["x-a"] == "b" and "x-a" not in second.headers
    assert first.connection == second.connection


def test_injected_http_client_is_used_and_left_open(rt: SimpleNamespace, server: FaultServer):
    server.script(json_reply({"ok": True}))
    http_client = httpx.Client(headers={"X-Injected": "1"}, timeout=httpx.Timeout(7.0))
    with rt.base.SyncAPIClient(api_key=SECRET, base_url=server.url,
                               http_client=http_client) as client:
        assert client.timeout == httpx.Timeout(7.0)
        client.request(rt.base.RequestOptions("GET", "/m"), identity)
    assert not http_client.is_closed
    http_client.close()
    assert server.requests[0].headers["x-injected"] == "1"
    with rt.base.SyncAPIClient(api_key=SECRET, http_client=httpx.Client()) as client:
        # httpx's own 5 s default is replaced by the runtime's finite default
        assert client.timeout == httpx.Timeout(120.0, connect=10.0)


@pytest.mark.anyio
async def test_async_client_lifecycle(rt: SimpleNamespace, server: FaultServer):
    server.script(json_reply({"ok": True}))
    client = rt.base.AsyncAPIClient(api_key=SECRET, base_url=server.url, x_title="T")
    response = await client.request_raw(rt.base.RequestOptions("GET", "/m"), identity)
    assert response.parsed == {"ok": True}
    await client.aclose()
    assert client._client.is_closed
    assert server.requests[0].headers["x-title"] == "T"


def test_not_given_is_a_falsy_singleton(rt: SimpleNamespace):
    import copy
    import pickle

    not_given = rt.types.NOT_GIVEN
    assert not not_given
    assert repr(not_given) == "NOT_GIVEN"
    assert rt.types.NotGiven() is not_given
    assert copy.deepcopy(not_given) is not_given
    assert pickle.loads(pickle.dumps(not_given)) is not_given


def test_subclasses_rebind_their_resources_on_copy(rt: SimpleNamespace):
    class Resource:
        def __init__(self, client: object) -> None:
            self.client = client

    class Client(rt.base.SyncAPIClient):
        def __init__(self, **kwargs: object) -> None:
            super().__init__(**kwargs)
            self.models = Resource(self)

        def _post_copy(self) -> None:
            self.models = Resource(self)

    with Client(api_key=SECRET) as client:
        copy = client.with_options(max_retries=5)
        assert isinstance(copy, Client)
        assert copy.models.client is copy and client.models.client is client
