"""The server URL: the pages show it only in their `METHOD https://host/base/path` lines."""

from __future__ import annotations

from openrouter_codegen.spec.fragments import JsonDoc
from openrouter_codegen.spec.normalize.base import Changes, Rule, RuleContext, RuleOutcome


def apply(doc: JsonDoc, context: RuleContext) -> RuleOutcome:
    """Declare `servers` from the base URLs found on the pages."""
    changes = Changes()
    servers = [s for s in doc.get("servers") or [] if isinstance(s, dict)]
    known = {s.get("url") for s in servers}
    for url in context.server_urls:
        if url not in known:
            servers.append({"url": url})
            known.add(url)
            changes.changed(url)
    if servers:
        doc["servers"] = servers
    else:
        changes.warn("/servers", "no server URL on any page and none declared",
                     "add one with an overlay")
    if len(servers) > 1:
        changes.warn("/servers", f"pages show {len(servers)} different base URLs", "all listed")
    return changes.outcome()


RULE = Rule("servers", "`servers` from the base URL on the pages' endpoint lines", apply)
