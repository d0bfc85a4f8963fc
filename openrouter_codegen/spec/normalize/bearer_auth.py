"""`Authorization` declared as a header parameter of every operation is really bearer auth."""

from __future__ import annotations

from typing import Any

from openrouter_codegen.common.schema_tools import HTTP_METHODS, resolve_pointer
from openrouter_codegen.spec.fragments import JsonDoc, escape
from openrouter_codegen.spec.normalize.base import Changes, Rule, RuleContext, RuleOutcome

SCHEME = "bearerAuth"


def _is_authorization(doc: JsonDoc, param: Any) -> bool:
    if isinstance(param, dict) and isinstance(param.get("$ref"), str):
        try:
            param = resolve_pointer(doc, param["$ref"])
        except KeyError:
            return False
    return (isinstance(param, dict) and param.get("in") == "header"
            and str(param.get("name", "")).lower() == "authorization")


def apply(doc: JsonDoc, context: RuleContext) -> RuleOutcome:
    """Remove Authorization header parameters; declare one global bearer security scheme."""
    changes = Changes()
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        owners = [("", item)] + [(m, item[m]) for m in HTTP_METHODS
                                 if isinstance(item.get(m), dict)]
        for method, owner in owners:
            params = owner.get("parameters")
            if not isinstance(params, list):
                continue
            kept = [p for p in params if not _is_authorization(doc, p)]
            if len(kept) == len(params):
                continue
            where = f"{method.upper()} {path}" if method else f"path {path}"
            changes.changed(where, len(params) - len(kept))
            if kept:
                owner["parameters"] = kept
            else:
                del owner["parameters"]
    components = doc.get("components") or {}
    for name in [n for n, p in (components.get("parameters") or {}).items()
                 if _is_authorization(doc, p)]:
        del components["parameters"][name]
        changes.changed(f"#/components/parameters/{escape(name)}")
    if changes.count:
        doc.setdefault("components", {}).setdefault("securitySchemes", {})[SCHEME] = {
            "type": "http", "scheme": "bearer"}
        doc["security"] = [{SCHEME: []}]
    return changes.outcome()


RULE = Rule("bearer-auth", "`Authorization` header parameters removed (count = parameters); one "
            "global bearer `securityScheme`", apply)
