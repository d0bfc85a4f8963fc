"""The published versions of OpenRouter's whole API (../shared/openapi/openrouter/): a real small
change, and the larger jumps checked against what the raw documents say, computed here on its own."""

from __future__ import annotations

import functools
from typing import Any

import pytest
import yaml

from openrouter_codegen.changes import ChangeSet, compare
from tests.support.shared_data import published_version

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JUMPS = [("2026-04-16", "2026-06-09"), ("2026-06-09", "2026-07-13"),
         ("2026-07-13", "2026-08-21"), ("2026-04-16", "2026-08-22")]


@functools.cache
def _load(date: str) -> Any:
    return yaml.load(published_version(date).read_text(encoding="utf-8"),
                     Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@functools.cache
def _compare(old: str, new: str) -> ChangeSet:
    return compare(_load(old), _load(new))


def test_one_day_apart_is_the_tool_search_tool() -> None:
    """2026-08-22 adds the tool-search server tool: two schemas, a `defer_loading` flag on the
    function tools of three components, and the new tool as a branch of three tool unions."""
    changes = _compare("2026-08-21", "2026-08-22")
    assert changes.bump == "minor" and not changes.breaking
    tools = "/components/schemas/{}/properties/tools/items"
    flag = "/{}/0/allOf/1/properties/defer_loading"
    assert {(c.change, c.pointer) for c in changes.changes} == {
        ("schema-added", "/components/schemas/ToolSearchServerTool"),
        ("schema-added", "/components/schemas/ToolSearchServerToolConfig"),
        ("request-property-added", tools.format("AdditionalToolsItem") + flag.format("anyOf")),
        ("request-property-added", tools.format("ResponsesRequest") + flag.format("anyOf")),
        ("response-property-added", tools.format("BaseResponsesResult") + flag.format("oneOf")),
        ("type-changed", tools.format("AdditionalToolsItem") + "/anyOf/27"),
        ("type-changed", tools.format("MessagesRequest") + "/anyOf/16"),
        ("type-changed", tools.format("ResponsesRequest") + "/anyOf/27"),
    }
    flags = [c for c in changes.changes if c.pointer.endswith("defer_loading")]
    assert {c.python for c in flags} == {"AdditionalToolsItem.tools[].defer_loading",
                                        "ResponsesRequest.tools[].defer_loading",
                                        "BaseResponsesResult.tools[].defer_loading"}
    assert all(c.operation is None and "POST /responses" in c.affects for c in flags)
    unions = [c for c in changes.changes if c.change == "type-changed"]
    assert all("gains `ToolSearchServerTool`" in c.detail for c in unions)
    new_tool = next(c for c in changes.changes if c.pointer.endswith("/ToolSearchServerTool"))
    assert new_tool.affects == ("POST /messages", "POST /presets/{slug}/messages",
                                "POST /presets/{slug}/responses", "POST /responses")


def _operations(document: Any) -> set[str]:
    return {f"{method.upper()} {path}" for path, item in document["paths"].items()
            for method in _METHODS if isinstance(item, dict) and method in item}


@pytest.mark.parametrize(("old", "new"), JUMPS)
def test_every_operation_added_or_removed_is_reported(old: str, new: str) -> None:
    before, after = _operations(_load(old)), _operations(_load(new))
    changes = _compare(old, new)
    added = {c.operation for c in changes.changes if c.change == "operation-added"}
    removed = {c.operation for c in changes.changes if c.change == "operation-removed"}
    assert added == after - before and removed == before - after
    assert added, "each jump adds operations"
    assert all(c.python.startswith("client.") for c in changes.changes
               if c.change in ("operation-added", "operation-removed"))


def _enum_values(document: Any) -> dict[str, list[Any]]:
    return {name: schema["enum"] for name, schema in document["components"]["schemas"].items()
            if isinstance(schema, dict) and isinstance(schema.get("enum"), list)}


@pytest.mark.parametrize(("old", "new"), JUMPS)
def test_every_enum_value_added_to_a_named_schema_is_reported(old: str, new: str) -> None:
    before, after = _enum_values(_load(old)), _enum_values(_load(new))
    expected = {(name, repr(value)) for name, values in after.items() if name in before
                for value in values if value not in before[name] and value is not None}
    changes = _compare(old, new)
    reported = {(c.pointer.removeprefix("/components/schemas/"), repr(c.value))
                for c in changes.changes if c.change == "enum-value-added"}
    assert expected <= reported
    assert expected, "each jump adds enum values to named schemas"


def test_a_version_against_itself_has_no_change() -> None:
    document = _load("2026-08-22")
    assert compare(document, document).bump == "none"
