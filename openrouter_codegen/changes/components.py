"""Component schemas: added, removed, and each one present on both sides compared once."""

from __future__ import annotations

from openrouter_codegen.changes.change import Change, Direction
from openrouter_codegen.changes.document import Users, component_users, schemas
from openrouter_codegen.changes.python_names import component_classes
from openrouter_codegen.changes.schemas import diff_schema
from openrouter_codegen.changes.site import BOTH, Docs, Site
from openrouter_codegen.spec.fragments import escape


def diff_components(docs: Docs) -> list[Change]:
    """schema-added / schema-removed, and the changes inside every schema both documents have,
    attributed to the component and naming the operations that reach it."""
    old_schemas, new_schemas = schemas(docs.old), schemas(docs.new)
    old_users, new_users = component_users(docs.old), component_users(docs.new)
    old_classes, new_classes = component_classes(docs.old), component_classes(docs.new)
    out: list[Change] = []
    for name in new_schemas:
        pointer = f"/components/schemas/{escape(str(name))}"
        site = _site(str(name), new_users, {})
        if name not in old_schemas:
            out.append(site.change("schema-added", pointer, False, f"new schema {name!r}",
                                   new_classes[str(name)]))
        else:
            site = _site(str(name), old_users, new_users)
            out += diff_schema(docs, old_schemas[name], pointer, new_schemas[name], pointer,
                               site, new_classes[str(name)])
    for name in old_schemas:
        if name not in new_schemas:
            site = _site(str(name), old_users, {})
            out.append(site.change("schema-removed", f"/components/schemas/{escape(str(name))}",
                                   True, f"schema {name!r} removed", old_classes[str(name)]))
    return out


def _site(name: str, *users: Users) -> Site:
    """A component's site: the operations that use it in either document, and every direction
    they use it in (both, for a schema no operation uses: it is still a public class)."""
    directions: set[Direction] = set()
    operations: set[str] = set()
    for found in users:
        for operation, dirs in found.get(name, {}).items():
            operations.add(operation)
            directions |= dirs
    return Site(None, frozenset(directions) or BOTH, tuple(sorted(operations)))
