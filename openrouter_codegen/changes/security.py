"""Security: the schemes a document declares, and what each operation requires."""

from __future__ import annotations

from typing import Any

from openrouter_codegen.changes.change import Change
from openrouter_codegen.changes.document import OperationRef
from openrouter_codegen.changes.site import BOTH, Docs, Site
from openrouter_codegen.common.schema_tools import as_mapping
from openrouter_codegen.spec.fragments import escape

# An alternative of a security requirement: scheme names with their scopes.
Alternative = frozenset[tuple[str, tuple[str, ...]]]
# The fields of a scheme that change what the user must pass (the rest, such as a header's
# name, the regenerated client handles by itself).
_CREDENTIAL_FIELDS = ("type", "scheme")


def diff_schemes(docs: Docs) -> list[Change]:
    """Security schemes added, removed or changed (`/components/securitySchemes`)."""
    before = as_mapping(as_mapping(docs.old.get("components")).get("securitySchemes"))
    after = as_mapping(as_mapping(docs.new.get("components")).get("securitySchemes"))
    site = Site(None, BOTH)
    out: list[Change] = []
    for name in sorted(set(before) | set(after), key=str):
        pointer = f"/components/securitySchemes/{escape(str(name))}"
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if new is None:
            out.append(site.change("security-changed", pointer, True,
                                   f"security scheme {name!r} removed", "the client's api_key"))
        elif old is None:
            out.append(site.change("security-changed", pointer, False,
                                   f"new security scheme {name!r}", "the client's api_key"))
        else:
            credentials = any(as_mapping(old).get(f) != as_mapping(new).get(f)
                              for f in _CREDENTIAL_FIELDS)
            out.append(site.change("security-changed", pointer, credentials,
                                   f"security scheme {name!r} changed: {_scheme(old)} -> "
                                   f"{_scheme(new)}", "the client's api_key"))
    return out


def diff_operation_security(docs: Docs, old: OperationRef, new: OperationRef, method: str
                            ) -> list[Change]:
    """What an operation requires (its own `security`, else the document's). Breaking when a
    way of calling it that worked before (a set of credentials, or none) no longer does."""
    before = _alternatives(docs.old, old.operation)
    after = _alternatives(docs.new, new.operation)
    if before == after:
        return []
    pointer = f"{new.pointer}/security" if "security" in new.operation else \
        "/security" if "security" in docs.new else new.pointer
    # A way that worked still works when some new alternative asks for no more than it gave.
    still = all(any(alt <= given for alt in after) for given in before)
    return [Site(new.label, BOTH).change(
        "security-changed", pointer, not still,
        f"security: {_show(before)} -> {_show(after)}", f"{method}()")]


def _alternatives(document: dict[str, Any], operation: dict[str, Any]) -> frozenset[Alternative]:
    declared = operation["security"] if "security" in operation else document.get("security")
    if not isinstance(declared, list) or not declared:
        return frozenset({frozenset()})  # no requirement: callable without credentials
    out: set[Alternative] = set()
    for requirement in declared:
        out.add(frozenset((str(name), tuple(str(s) for s in scopes)
                           if isinstance(scopes, list) else ())
                          for name, scopes in as_mapping(requirement).items()))
    return frozenset(out)


def _show(alternatives: frozenset[Alternative]) -> str:
    shown = sorted(" + ".join(sorted(name for name, _ in alt)) or "none" for alt in alternatives)
    return " or ".join(shown)


def _scheme(scheme: Any) -> str:
    fields = as_mapping(scheme)
    return " ".join(f"{k}={fields[k]}" for k in ("type", "scheme", "in", "name") if k in fields)
