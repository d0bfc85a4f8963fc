"""Typical mistakes in request dicts. Every line marked `# expect-error` must be reported by
`mypy --strict` and by pyright in strict mode, and no other line
(tests/typing/test_request_dicts.py). Type-checked only, never run."""

from __future__ import annotations

from openrouter_seed_client import AsyncOpenRouter, OpenRouter
from openrouter_seed_client.models import NoSuchModel  # noqa: F401  # expect-error
from openrouter_seed_client.types import MessageParam, UserMessageParam

OK: list[MessageParam] = [{"role": "user", "content": "Hello"}]

# A dict annotated with an imported request type.
misspelled: UserMessageParam = {"role": "user", "content": "hi", "nam": "ann"}  # expect-error
unknown_role: MessageParam = {"role": "usr", "content": "hi"}  # expect-error
no_content: MessageParam = {"role": "user"}  # expect-error


def chat(client: OpenRouter) -> None:
    """Mistakes in the arguments of `client.chat.send`."""
    # messages: misspelled key, unknown role, wrong value type, missing required keys
    client.chat.send(model="m", messages=[{"rol": "user", "content": "hi"}])  # expect-error
    client.chat.send(model="m", messages=[{"role": "usr", "content": "hi"}])  # expect-error
    client.chat.send(model="m", messages=[{"role": "user", "content": 42}])  # expect-error
    client.chat.send(model="m", messages=[{"role": "tool", "content": "4"}])  # expect-error
    client.chat.send(model="m", messages=[{"role": "user", "content": [{"type": "text", "txt": "hi"}]}])  # expect-error
    client.chat.send(model="m", messages=[{"role": "user", "content": [{"type": "image_url", "image_url": "https://x/y.png"}]}])  # expect-error
    client.chat.send(model="m", messages=[{"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {"arguments": "{}"}}]}])  # expect-error
    # tools and tool_choice: `fn` instead of `function`, a misspelled nested key
    client.chat.send(model="m", messages=OK, tools=[{"type": "function", "fn": {"name": "f"}}])  # expect-error
    client.chat.send(model="m", messages=OK, tools=[{"type": "function", "function": {"name": "f", "parameters": "{}"}}])  # expect-error
    client.chat.send(model="m", messages=OK, tool_choice={"type": "function", "function": {"nam": "f"}})  # expect-error
    # provider: a string where a list goes, a list where a string goes, a wrong value type
    client.chat.send(model="m", messages=OK, provider={"order": "openai"})  # expect-error
    client.chat.send(model="m", messages=OK, provider={"sort": ["price"]})  # expect-error
    client.chat.send(model="m", messages=OK, provider={"allow_fallbacks": "no"})  # expect-error
    client.chat.send(model="m", messages=OK, provider={"max_price": {"prompt": 1}, "zdr": 1.5})  # expect-error
    # response_format and plugins: unknown tag, missing required key, wrong nested type
    client.chat.send(model="m", messages=OK, response_format={"type": "json"})  # expect-error
    client.chat.send(model="m", messages=OK, response_format={"type": "json_schema"})  # expect-error
    client.chat.send(model="m", messages=OK, response_format={"type": "json_schema", "json_schema": {"name": "x", "strict": "yes"}})  # expect-error
    client.chat.send(model="m", messages=OK, plugins=[{"id": "web", "max_results": "5"}])  # expect-error
    client.chat.send(model="m", messages=OK, plugins=[{"id": "websearch"}])  # expect-error
    # top-level arguments: a string where a list goes and back
    client.chat.send(model="m", messages=OK, models="openai/gpt-4o")  # expect-error
    client.chat.send(model=["openai/gpt-4o"], messages=OK)  # expect-error
    client.chat.send(model="m", messages={"role": "user", "content": "hi"})  # expect-error


async def chat_async(client: AsyncOpenRouter) -> None:
    """The async client takes the same types."""
    await client.chat.send(model="m", messages=[{"role": "user", "contents": "hi"}])  # expect-error
    await client.chat.send(model="m", messages=OK, stream=True, stream_options={"include_usage": "yes"})  # expect-error
