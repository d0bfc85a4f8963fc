"""A small app written against the client the way its users write code: list models, chat (with
tools, a response format and content parts), stream and accumulate, the async client, error
handling, and one call of every other resource group. It uses the client of the frozen seed pages
(`openrouter_seed_client`, tests/support/seed_package.py; the committed `openrouter_client` while
spec/docs/ holds those pages), so a docs change cannot break it.

It is type-checked (`pyright` strict and `mypy --strict`, `tests/typing/test_type_checkers.py`)
and run against a loopback server (`tests/typing/test_sample_app.py`), so it is real code that
both checkers must accept as it stands: no casts, no ignores. Lines such as
`tokens: int = usage.total_tokens` hold the client's types to the README's policy.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from openrouter_seed_client import (
    APIStatusError,
    AsyncOpenRouter,
    NotFoundError,
    OpenRouter,
    RateLimitError,
    aaccumulate,
    accumulate,
)
from openrouter_seed_client.models import ChatMessageContentItem, ChatMessageContentItemText

if TYPE_CHECKING:
    from openrouter_seed_client.types import ToolDefinitionJsonParam

MODEL = "openai/gpt-4o-mini"

# Typed as the request dict the `tools` argument takes: an unannotated literal would be inferred
# as a plain `dict[str, object]`, which the TypedDict rejects.
WEATHER_TOOL: ToolDefinitionJsonParam = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The current weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


@dataclass(frozen=True)
class Report:
    """What the app found out, for the test to compare with what the server sent."""

    model_ids: list[str]
    context_length: int | None
    model_created: int
    reply: str
    total_tokens: int
    prompt_tokens: int
    tool_calls: list[tuple[str, dict[str, object]]]
    answer: dict[str, object]
    described: str
    streamed: str
    stream_tokens: int
    completion: str
    key_label: str
    requests_per_interval: int
    key_count: int
    new_key: str
    endpoint_contexts: list[int]
    auth_code: str
    app_id: int
    exchanged_key: str
    parameter_names: list[str]
    provider_slugs: list[str]
    errors: list[str]


def text_of(content: str | Sequence[ChatMessageContentItem] | None) -> str:
    """The text of a message's content: the string itself, or its text parts joined (a part
    the client does not know is kept as the mapping the server sent)."""
    if content is None or isinstance(content, str):
        return content or ""
    texts: list[str] = []
    for part in content:
        if isinstance(part, ChatMessageContentItemText):
            texts.append(part.text)
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            texts.append(str(part["text"]))
    return "".join(texts)


def run(base_url: str, api_key: str = "sk-or-v1-sample") -> Report:
    """Every call of the app, in order, with the sync client."""
    errors: list[str] = []
    with OpenRouter(api_key=api_key, base_url=base_url, max_retries=0) as client:
        models = client.models.list()
        first = models.data[0]
        context_length: int | None = first.context_length
        model_created: int = first.created

        completion = client.chat.send(
            model=MODEL,
            messages=[
                {"role": "system", "content": "Answer in one sentence."},
                {"role": "user", "content": "Say hello"},
            ],
            max_tokens=64,
            temperature=0.2,
            provider={"order": ["openai", "azure"], "allow_fallbacks": False},
        )
        choice = completion.choices[0]
        reply = text_of(choice.message.content)
        usage = completion.usage
        total_tokens: int = usage.total_tokens if usage is not None else 0
        prompt_tokens: int = usage.prompt_tokens if usage is not None else 0

        tooled = client.chat.send(
            model=MODEL,
            messages=[{"role": "user", "content": "Weather in Paris?"}],
            tools=[WEATHER_TOOL],
            tool_choice="auto",
        )
        tool_calls: list[tuple[str, dict[str, object]]] = []
        for call in tooled.choices[0].message.tool_calls or []:
            arguments: dict[str, object] = json.loads(call.function.arguments or "{}")
            tool_calls.append((call.function.name, arguments))

        structured = client.chat.send(
            model=MODEL,
            messages=[{"role": "user", "content": "Name a colour as JSON."}],
            response_format={
                "type": "json_schema",
                "json_schema": {
                    "name": "colour",
                    "strict": True,
                    "schema": {
                        "type": "object",
                        "properties": {"colour": {"type": "string"}},
                        "required": ["colour"],
                    },
                },
            },
        )
        answer: dict[str, object] = json.loads(text_of(structured.choices[0].message.content))

        described = client.chat.send(
            model=MODEL,
            messages=[
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "What is in this image?"},
                        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
                    ],
                }
            ],
        )

        with client.chat.send(
            model=MODEL,
            messages=[{"role": "user", "content": "Count to three"}],
            stream=True,
            stream_options={"include_usage": True},
        ) as stream:
            final = accumulate(stream)
        stream_usage = final.usage
        stream_tokens: int = stream_usage.total_tokens if stream_usage is not None else 0

        legacy = client.completions.create(model=MODEL, prompt="Once upon a time", max_tokens=8)
        completion_text = "".join(c.text or "" for c in legacy.choices or [])

        current = client.api_keys.get_current()
        requests_per_interval: int = current.data.rate_limit.requests
        keys = client.api_keys.list(include_disabled="true")  # a string, as the docs say
        created = client.api_keys.create(name="ci", limit=10.0)
        client.api_keys.update(hash=created.data.hash, disabled=True)
        client.api_keys.get(hash=created.data.hash)
        client.api_keys.delete(hash=created.data.hash)

        endpoints = client.endpoints.list(author="openai", slug="gpt-4o-mini")
        endpoint_contexts: list[int] = [e.context_length for e in endpoints.data.endpoints]
        client.endpoints.list_zdr()

        code = client.oauth.create_code(callback_url="https://app.example.com/callback")
        app_id: int = code.data.app_id
        exchanged = client.oauth.exchange_code(code=code.data.id)

        parameters = client.parameters.get(author="openai", slug="gpt-4o-mini")
        parameter_names = [str(p) for p in parameters.data.supported_parameters]

        providers = client.providers.list()

        try:
            client.models.list_for_user()
        except NotFoundError as exc:
            errors.append(f"not found: {exc.status_code}")
        try:
            client.chat.send(model=MODEL, messages=[{"role": "user", "content": "again"}])
        except RateLimitError as exc:
            errors.append(f"rate limited: {exc.status_code}")
        except APIStatusError as exc:
            errors.append(f"other: {exc.status_code}")

    return Report(
        model_ids=[m.id for m in models.data],
        context_length=context_length,
        model_created=model_created,
        reply=reply,
        total_tokens=total_tokens,
        prompt_tokens=prompt_tokens,
        tool_calls=tool_calls,
        answer=answer,
        described=text_of(described.choices[0].message.content),
        streamed=final.content,
        stream_tokens=stream_tokens,
        completion=completion_text,
        key_label=current.data.label,
        requests_per_interval=requests_per_interval,
        key_count=len(keys.data),
        new_key=created.key,
        endpoint_contexts=endpoint_contexts,
        auth_code=code.data.id,
        app_id=app_id,
        exchanged_key=exchanged.key,
        parameter_names=parameter_names,
        provider_slugs=[p.slug for p in providers.data],
        errors=errors,
    )


async def run_async(base_url: str, api_key: str = "sk-or-v1-sample") -> tuple[str, str, int]:
    """A chat answer and a streamed one with the async client, and the streamed token count."""
    async with AsyncOpenRouter(api_key=api_key, base_url=base_url, max_retries=0) as client:
        completion = await client.chat.send(
            model=MODEL, messages=[{"role": "user", "content": "Say hello"}]
        )
        stream = await client.chat.send(
            model=MODEL, messages=[{"role": "user", "content": "Count to three"}], stream=True
        )
        async with stream:
            final = await aaccumulate(stream)
        usage = final.usage
        tokens: int = usage.total_tokens if usage is not None else 0
        return text_of(completion.choices[0].message.content), final.content, tokens


def main(base_url: str) -> Report:
    """The sync part, then the async part, as a script would run them."""
    report = run(base_url)
    asyncio.run(run_async(base_url))
    return report
