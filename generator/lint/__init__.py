"""Design review (lint): rules that read the whole system, not one artifact.

API linters see an OpenAPI file and database tools a schema; these rules see the
NFRs, services, entities, API and auth together. Entry points for the CLI and the
site are re-exported here.
"""

from generator.lint.engine import LintReport, Suppressed, exit_code, lint
from generator.lint.formats import (
    FORMATS,
    format_github,
    format_json,
    format_sarif,
    format_text,
    list_rules,
    rule_docs_markdown,
)
from generator.lint.registry import RULES, Finding, Rule, all_rules

__all__ = [
    "FORMATS",
    "RULES",
    "Finding",
    "LintReport",
    "Rule",
    "Suppressed",
    "all_rules",
    "exit_code",
    "format_github",
    "format_json",
    "format_sarif",
    "format_text",
    "lint",
    "list_rules",
    "rule_docs_markdown",
]

# Register every rule on import, so RULES is complete for whoever reads it first.
all_rules()
