"""black, as the last step of rendering; a template bug that yields invalid Python is reported here."""

from __future__ import annotations

import black

from generator.diagnostics import error

_MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100)


def format_python(source: str, name: str) -> str:
    """Format `source` with black; a syntax error names the file and line of the rendered code."""
    try:
        return black.format_str(source, mode=_MODE)
    except black.InvalidInput as exc:
        line = None
        text = str(exc)
        if ":" in text:
            parts = text.split(":")
            line = int(parts[1]) if len(parts) > 1 and parts[1].strip().isdigit() else None
        snippet = source.splitlines()[line - 1] if line and line <= len(source.splitlines()) else ""
        raise error(f"rendered code does not parse ({text}): {snippet.strip()[:200]}",
                    file=f"<rendered {name}>", line=line) from exc
