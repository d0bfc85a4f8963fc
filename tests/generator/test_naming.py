"""Identifiers made from spec strings are valid, stable and never keywords."""

from __future__ import annotations

import keyword

import pytest

from openrouter_codegen.client.model.naming import identifier, pascal, snake, unique


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("get-models", "get_models"),
        ("apiKeys", "api_keys"),
        ("API Keys_createKeys_Response_201", "api_keys_create_keys_response_201"),
        ("HTTPServer", "http_server"),
        ("class", "class_"),
        ("0", "n0"),
        ("naïve", "naive"),
        ("", "value"),
    ],
)
def test_snake(text: str, expected: str) -> None:
    assert snake(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("api keys", "ApiKeys"), ("send-chat-completion-request", "SendChatCompletionRequest"),
     ("Hyperbolic 2", "Hyperbolic2"), ("None", "None_"), ("", "Value")],
)
def test_pascal(text: str, expected: str) -> None:
    assert pascal(text) == expected


@pytest.mark.parametrize("name", ["from", "match", "__init__", "1abc", "a-b", "x y", "é"])
def test_identifier_is_valid_and_not_a_keyword(name: str) -> None:
    result = identifier(name)
    assert result.isidentifier()
    assert not keyword.iskeyword(result) and not keyword.issoftkeyword(result)
    assert not result.startswith("__")


def test_identifier_escapes_reserved_names() -> None:
    assert identifier("extra", frozenset({"extra"})) == "extra_"


def test_unique_numbers_collisions_in_order() -> None:
    taken: set[str] = set()
    assert [unique("a", taken) for _ in range(3)] == ["a", "a_2", "a_3"]
