"""The ordered list of normalize rules and the function that runs them."""

from __future__ import annotations

from openrouter_codegen.common.schema_tools import plain_copy
from openrouter_codegen.spec.fragments import JsonDoc
from openrouter_codegen.spec.normalize import (
    any_value,
    bearer_auth,
    boolean_literal,
    discriminator,
    enum_items,
    flat_tags,
    open_enum,
    prune,
    required_body,
    servers,
    string_const_union,
    string_literal,
    union_dedupe,
)
from openrouter_codegen.spec.normalize.base import NormalizeResult, Rule, RuleContext, RuleReport

# Order matters: literals become plain values before unions are compared, string constants
# are folded into enums before open enums are recognised, and discriminators are found (and
# may reuse older components) before unreferenced components are pruned.
RULES: tuple[Rule, ...] = (
    boolean_literal.RULE,
    string_literal.RULE,
    enum_items.RULE,
    any_value.RULE,
    union_dedupe.RULE,
    string_const_union.RULE,
    open_enum.RULE,
    discriminator.RULE,
    flat_tags.RULE,
    bearer_auth.RULE,
    required_body.RULE,
    servers.RULE,
    prune.RULE,
)


def normalize(doc: JsonDoc, context: RuleContext | None = None,
              rules: tuple[Rule, ...] = RULES) -> NormalizeResult:
    """Run `rules` in order on a copy of `doc` (the input is not modified)."""
    context = context or RuleContext()
    work = plain_copy(doc)
    reports = tuple(RuleReport(rule.name, rule.summary, rule.apply(work, context))
                    for rule in rules)
    return NormalizeResult(work, reports)
