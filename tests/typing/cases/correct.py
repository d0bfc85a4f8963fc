"""Correct request dicts: `mypy --strict` and pyright in strict mode report nothing here
(tests/typing/test_request_dicts.py), and `send_all` sends every dict as written (the same
test runs it over loopback HTTP and compares each body with the literals of its call)."""

from __future__ import annotations

from openrouter_seed_client import OpenRouter
from openrouter_seed_client.models import ChatMessageContentItemText, UserMessage
from openrouter_seed_client.types import MessageParam, UserMessageParam

QUESTION: UserMessageParam = {
    "role": "user",
    "content": [
        {"type": "text", "text": "What is in this picture?"},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "low"}},
    ],
}
MESSAGES: list[MessageParam] = [
    {"role": "system", "content": "Answer briefly."},
    QUESTION,
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "look", "arguments": "{}"}}
        ],
    },
    {"role": "tool", "content": "a cat", "tool_call_id": "call_1"},
    {"role": "user", "content": "Thanks", "name": "ann"},
]

def send_all(client: OpenRouter) -> None:
    """Chat calls with request dicts: typed module constants, literals written in the call, and
    dicts beside dataclasses."""
    client.chat.send(
        model="openai/gpt-4o-mini",
        messages=MESSAGES,
        tools=[
            {
                "type": "function",
                "function": {
                    "name": "look",
                    "description": "Describe an image.",
                    "parameters": {"type": "object", "properties": {}},
                },
            }
        ],
        tool_choice={"type": "function", "function": {"name": "look"}},
        provider={
            "order": ["OpenAI", "a-provider-newer-than-the-docs"],
            "allow_fallbacks": False,
            "sort": "price",
            "max_price": {"prompt": 1, "completion": "2"},
            "preferred_min_throughput": {"p50": 10.5},
        },
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "answer", "schema": {"type": "object"}, "strict": True},
        },
        plugins=[{"id": "web", "max_results": 3}, {"id": "file-parser", "pdf": {"engine": "pdf-text"}}],
        models=["openai/gpt-4o", "anthropic/claude-3.5-sonnet"],
        stop=["\n\n"],
        reasoning={"effort": "low"},
    )
    client.chat.send(
        model="openai/gpt-4o-mini",
        messages=[
            {"role": "user", "content": "Hi"},
            {"role": "developer", "content": [{"type": "text", "text": "Be kind."}]},
        ],
        response_format={"type": "json_object"},
        tool_choice="auto",
        provider={"sort": {"by": "throughput", "partition": "none"}, "quantizations": ["fp8"]},
        stop="END",
    )
    client.chat.send(
        model="openai/gpt-4o-mini",
        messages=[
            UserMessage(content=[ChatMessageContentItemText(text="Hello")]),
            {"role": "user", "content": "again"},
        ],
    )
