"""An OpenAPI document's text -> the document, checked for the shape the comparison reads."""

from __future__ import annotations

import json
from typing import Any

import yaml

from openrouter_codegen.common.diagnostics import GeneratorError, error
from openrouter_codegen.common.guard import raise_errors
from openrouter_codegen.spec.locate import locate
from openrouter_codegen.spec.shape import check_shape

# libyaml when available: a published document (1.4 MB) loads in ~1.5 s instead of ~7 s.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_document(text: str, source: str) -> dict[str, Any]:
    """Parse YAML or JSON (by `source`'s suffix) and check its shape; a GeneratorError names
    `source` and the line of each problem."""
    try:
        document = json.loads(text) if source.endswith(".json") else yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise error(f"not valid YAML: {getattr(exc, 'problem', None) or exc}", file=source,
                    line=mark.line + 1 if mark else None) from exc
    except json.JSONDecodeError as exc:
        raise error(f"not valid JSON: {exc.msg}", file=source, line=exc.lineno) from exc
    if not isinstance(document, dict) or "openapi" not in document:
        raise error("not an OpenAPI document (no `openapi` key at the top)", file=source, line=1)
    try:
        raise_errors(check_shape(document))
    except GeneratorError as exc:
        raise GeneratorError(locate(exc.diagnostics, source, text)) from exc
    return document
