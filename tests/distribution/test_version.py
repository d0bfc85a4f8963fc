"""Versions and changelog entries, as pure functions: the bump rules, the committed version's
errors, and a changelog that changes only when the version does."""

from __future__ import annotations

from datetime import date

import pytest

from openrouter_codegen.changes.change import Change, ChangeSet
from openrouter_codegen.common.diagnostics import GeneratorError
from openrouter_codegen.distribution.changelog import HEADER, changelog
from openrouter_codegen.distribution.release import Release, next_release
from openrouter_codegen.distribution.version import bumped, committed_version, initial


def _change(kind: str, breaking: bool, operation: str | None = "GET /x") -> Change:
    return Change(kind, operation, "/paths/~1x/get", breaking, "detail", "client.x.get")  # type: ignore[arg-type]


@pytest.mark.parametrize(("bump", "expected"), [("major", "2.0.0"), ("minor", "1.3.0"),
                                                ("patch", "1.2.4"), ("none", "1.2.3")])
def test_bumps(bump: str, expected: str) -> None:
    assert bumped("1.2.3", bump) == expected  # type: ignore[arg-type]


def test_the_first_version_is_info_version_when_it_is_semantic() -> None:
    assert initial("1.0.0") == "1.0.0"
    assert initial("endpoint_credits.getCredits") == "0.1.0"
    assert next_release(None, None, "2.5.0") == Release("2.5.0", "none", new=True, first=True)


def test_the_release_follows_the_change_report() -> None:
    breaking = ChangeSet((_change("operation-removed", True),))
    added = ChangeSet((_change("operation-added", False),))
    prose = ChangeSet((_change("description-changed", False),))
    assert next_release("1.4.2", breaking, "x").version == "2.0.0"
    assert next_release("1.4.2", added, "x").version == "1.5.0"
    assert next_release("1.4.2", prose, "x").version == "1.4.3"
    assert next_release("1.4.2", ChangeSet(()), "x") == Release("1.4.2", "none", new=False)
    assert next_release("1.4.2", None, "x") == Release("1.4.2", "none", new=False)


@pytest.mark.parametrize(("text", "message"), [
    ("[project\n", "not valid TOML"),
    ("[project]\nname = 'x'\n", "`project.version` is None"),
    ("[project]\nversion = '1.0'\n", "`project.version` is '1.0'"),
])
def test_an_unreadable_committed_version_is_an_error(text: str, message: str) -> None:
    with pytest.raises(GeneratorError) as info:
        committed_version(text, "generated/pyproject.toml")
    shown = str(info.value.diagnostics[0])
    assert shown.startswith("generated/pyproject.toml") and message in shown


def test_the_changelog_changes_only_with_the_version() -> None:
    day = date(2026, 12, 3)
    first = changelog(None, Release("1.0.0", "none", new=True, first=True), None, day, "X API")
    assert first == HEADER + "\n## 1.0.0 (2026-12-03)\n\nFirst version of the client for the X API.\n"
    same = changelog(first, Release("1.0.0", "none", new=False), ChangeSet(()), date(2027, 1, 1),
                     "X API")
    assert same == first  # no new date for an unchanged version
    changes = ChangeSet((_change("operation-removed", True), _change("operation-added", False,
                                                                      "GET /y"),
                         _change("enum-value-added", False, None)),
                        methods=(("GET /x", "client.x.get"), ("GET /y", "client.y.get")))
    second = changelog(first, Release("2.0.0", "major", new=True), changes, date(2027, 1, 1),
                       "X API")
    assert second.startswith(HEADER + "\n## 2.0.0 (2027-01-01)\n\nMajor release: 3 API changes, "
                             "1 breaking")
    assert second.endswith("\n" + first[len(HEADER) + 1:])  # the older entries follow unchanged
    assert "- Removed `client.x.get()` (`GET /x`) **breaking**" in second
    assert "- Added `client.y.get()` (`GET /y`)" in second
    assert "- Also: 1 enum-value-added" in second
