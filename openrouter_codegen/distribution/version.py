"""Semantic versions of the generated client: parse, bump, and the committed one."""

from __future__ import annotations

import re
import tomllib

from openrouter_codegen.changes.change import Bump
from openrouter_codegen.common.diagnostics import error

_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
FALLBACK_INITIAL = "0.1.0"


def parse(version: str) -> tuple[int, int, int] | None:
    """`(major, minor, patch)` of a plain `X.Y.Z` version, else None."""
    match = _SEMVER.fullmatch(version)
    if match is None:
        return None
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def bumped(version: str, bump: Bump) -> str:
    """`version` after a `bump`: major resets minor and patch, minor resets patch."""
    parts = parse(version)
    if parts is None:
        raise ValueError(f"not an X.Y.Z version: {version!r}")
    major, minor, patch = parts
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return version


def initial(info_version: str) -> str:
    """The first version of a client: the document's `info.version` when it is `X.Y.Z` (the API's
    own numbering is a natural start), else 0.1.0."""
    return info_version if parse(info_version) is not None else FALLBACK_INITIAL


def committed_version(pyproject: str, shown: str) -> str:
    """`project.version` of a committed `pyproject.toml` (shown as `shown` in messages).

    A file that is not TOML or has no `X.Y.Z` version is an error: the next version is computed
    from it, so guessing would publish a wrong one.
    """
    try:
        document = tomllib.loads(pyproject)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"not valid TOML: {exc} (the client's version is read from here)",
                    file=shown) from None
    project = document.get("project")
    version = project.get("version") if isinstance(project, dict) else None
    if not isinstance(version, str) or parse(version) is None:
        raise error(f"`project.version` is {version!r}, not an X.Y.Z version (the client's next "
                    "version is computed from it; fix it by hand or delete the file to start "
                    "again from info.version)", file=shown)
    return version
