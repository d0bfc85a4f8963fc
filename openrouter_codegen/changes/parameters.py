"""An operation's parameters (its path item's and its own), matched by name and location."""

from __future__ import annotations

from typing import Any

from openrouter_codegen.changes.change import Change
from openrouter_codegen.changes.document import OperationRef, prose, resolve
from openrouter_codegen.changes.python_names import OperationNames
from openrouter_codegen.changes.schemas import diff_schema
from openrouter_codegen.changes.site import Docs, Site
from openrouter_codegen.common.schema_tools import as_mapping

Params = dict[tuple[str, str], tuple[dict[str, Any], str]]


def diff_parameters(docs: Docs, old: OperationRef, new: OperationRef, old_names: OperationNames,
                    new_names: OperationNames) -> list[Change]:
    """parameter-added / -removed / -required, and each common parameter's schema."""
    before, after = _params(docs.old, old), _params(docs.new, new)
    site = Site(new.label, frozenset({"request"}))
    out: list[Change] = []
    for key, (param, pointer) in after.items():
        py = _argument(new_names, key)
        required = bool(param.get("required")) or key[1] == "path"
        if key not in before:
            out.append(site.change("parameter-added", pointer, required,
                                   f"new {'required' if required else 'optional'} {key[1]} "
                                   f"parameter {key[0]!r}", py))
            continue
        was, was_at = before[key]
        was_required = bool(was.get("required")) or key[1] == "path"
        if required != was_required:
            out.append(site.change("parameter-required", pointer, required,
                                   f"{key[1]} parameter {key[0]!r} is "
                                   f"{'now' if required else 'no longer'} required", py))
        if bool(param.get("deprecated")) != bool(was.get("deprecated")):
            out.append(site.change("deprecated", pointer, False,
                                   f"{key[1]} parameter {key[0]!r} "
                                   f"{'deprecated' if param.get('deprecated') else 'no longer deprecated'}",
                                   py))
        if prose(param.get("description")) != prose(was.get("description")):
            out.append(site.change("description-changed", pointer, False,
                                   f"description of {key[1]} parameter {key[0]!r} changed", py))
        out += diff_schema(docs, was.get("schema"), f"{was_at}/schema", param.get("schema"),
                           f"{pointer}/schema", site, py)
    for key, (_, pointer) in before.items():
        if key not in after:
            out.append(Site(old.label, site.directions).change(
                "parameter-removed", pointer, True, f"{key[1]} parameter {key[0]!r} removed",
                _argument(old_names, key)))
    return out


def _params(document: dict[str, Any], ref: OperationRef) -> Params:
    """Parameters by (name, in), the operation's own over its path item's, refs followed.
    `Authorization` headers are left out: the client sends the key itself."""
    out: Params = {}
    item_pointer = ref.pointer.rsplit("/", 1)[0]
    for source, where in ((ref.path_item.get("parameters"), item_pointer),
                          (ref.operation.get("parameters"), ref.pointer)):
        for i, raw in enumerate(source if isinstance(source, list) else ()):
            param, pointer = resolve(document, raw, f"{where}/parameters/{i}")
            param = as_mapping(param)
            if "name" not in param:
                continue
            key = (str(param["name"]), str(param.get("in")))
            if key[1] == "header" and key[0].lower() == "authorization":
                continue
            out[key] = (param, pointer)
    return out


def _argument(names: OperationNames, key: tuple[str, str]) -> str:
    py = names.params.get(key)
    return f"{names.method}({py}=...)" if py else f"{names.method}() ({key[1]} {key[0]!r})"
