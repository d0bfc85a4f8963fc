"""Normalize: the docs tool's quirks rewritten as plain OpenAPI 3.1, one named rule per module."""

from openrouter_codegen.spec.normalize.base import (
           NormalizeResult,
           Rule,
           RuleContext,
           RuleOutcome,
           RuleReport,
)
from openrouter_codegen.spec.normalize.runner import RULES, normalize

__all__ = ["RULES", "NormalizeResult", "Rule", "RuleContext", "RuleOutcome", "RuleReport",
           "normalize"]
