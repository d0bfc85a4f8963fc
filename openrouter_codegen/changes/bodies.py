"""Request bodies and responses: statuses, media types, and the schemas they carry."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from openrouter_codegen.changes.change import Change, Kind
from openrouter_codegen.changes.document import OperationRef, resolve
from openrouter_codegen.changes.schemas import diff_schema
from openrouter_codegen.changes.site import Docs, Site
from openrouter_codegen.common.schema_tools import as_mapping
from openrouter_codegen.spec.fragments import escape


def diff_request_body(docs: Docs, old: OperationRef, new: OperationRef, method: str
                      ) -> list[Change]:
    """The body an operation takes: appearing, going, turning required, its media types and
    schemas (a call's body fields are its keyword arguments)."""
    site = Site(new.label, frozenset({"request"}))
    before, was_at = resolve(docs.old, old.operation.get("requestBody"), f"{old.pointer}/requestBody")
    after, at = resolve(docs.new, new.operation.get("requestBody"), f"{new.pointer}/requestBody")
    if not isinstance(before, dict) and not isinstance(after, dict):
        return []
    before, after = as_mapping(before), as_mapping(after)
    out: list[Change] = []
    required, was_required = bool(after.get("required")), bool(before.get("required"))
    if before and after and required != was_required:
        kind: Kind = "property-required-added" if required else "property-required-removed"
        out.append(site.change(kind, at, required, "the request body is "
                               f"{'now' if required else 'no longer'} required", f"{method}(...)"))
    out += _media(docs, before, was_at, after, at, site, f"{method}(...)",
                  removed_breaks=True, added_breaks=required and not before)
    return out


def diff_responses(docs: Docs, old: OperationRef, new: OperationRef, method: str) -> list[Change]:
    """Statuses added or removed, and each common status's media types and schemas. Only the
    success answers are the call's result: changes in error answers never break it."""
    site = Site(new.label, frozenset({"response"}))
    # YAML reads an unquoted `200:` as a number: statuses compare as text.
    before = {str(k): v for k, v in as_mapping(old.operation.get("responses")).items()}
    after = {str(k): v for k, v in as_mapping(new.operation.get("responses")).items()}
    success = _success(before) | _success(after)
    out: list[Change] = []
    for status, answer in after.items():
        at = f"{new.pointer}/responses/{escape(status)}"
        if status not in before:
            out.append(site.change("response-status-added", at, False,
                                   f"new response status {status}", f"{method}()"))
            continue
        was, was_at = resolve(docs.old, before[status], f"{old.pointer}/responses/{escape(status)}")
        now, at = resolve(docs.new, answer, at)
        found = _media(docs, as_mapping(was), was_at, as_mapping(now), at, site,
                       f"{method}() result", removed_breaks=status in success,
                       added_breaks=False)
        if status not in success:
            found = [replace(c, breaking=False) for c in found]
        out += found
    for status in before:
        if status not in after:
            out.append(Site(old.label, site.directions).change(
                "response-status-removed", f"{old.pointer}/responses/{escape(status)}",
                status in success, f"response status {status} removed", f"{method}()"))
    return out


def _success(responses: dict[Any, Any]) -> set[str]:
    """The statuses whose body is the call's result: the 2xx ones, else `default`."""
    found = {str(s) for s in responses if str(s).startswith("2")}
    return found or ({"default"} if "default" in responses else set())


def _media(docs: Docs, before: dict[str, Any], was_at: str, after: dict[str, Any], at: str,
           site: Site, python: str, *, removed_breaks: bool, added_breaks: bool) -> list[Change]:
    old_content, new_content = as_mapping(before.get("content")), as_mapping(after.get("content"))
    out: list[Change] = []
    for media, value in new_content.items():
        where = f"{at}/content/{escape(str(media))}"
        if media not in old_content:
            out.append(site.change("content-type-added", where, added_breaks,
                                   f"new media type {media}", python))
            continue
        was = as_mapping(old_content[media])
        now = as_mapping(value)
        key = "itemSchema" if "itemSchema" in now else "schema"  # OpenAPI 3.2 event streams
        was_key = "itemSchema" if "itemSchema" in was else "schema"
        out += diff_schema(docs, was.get(was_key), f"{was_at}/content/{escape(str(media))}/{was_key}",
                           now.get(key), f"{where}/{key}", site, python)
    for media in old_content:
        if media not in new_content:
            out.append(site.change(
                "content-type-removed", f"{was_at}/content/{escape(str(media))}", removed_breaks,
                f"media type {media} removed", python))
    return out
