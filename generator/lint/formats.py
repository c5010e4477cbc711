"""Output formats for lint reports: each `(reports) -> str`, deterministic, no I/O.

text   compiler-style lines for terminals
json   stable keys for scripts
sarif  SARIF 2.1.0 for GitHub code scanning (see sarif.py)
github workflow commands that annotate a pull request
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Severity
from generator.lint.docs import list_rules, rule_docs_markdown
from generator.lint.sarif import fingerprint, format_sarif, relative_path

if TYPE_CHECKING:
    from collections.abc import Callable

    from generator.lint.engine import LintReport
    from generator.lint.registry import Finding

__all__ = [
    "FORMATS",
    "format_github",
    "format_json",
    "format_sarif",
    "format_text",
    "list_rules",
    "rule_docs_markdown",
]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def format_text(reports: list[LintReport]) -> str:
    lines: list[str] = []
    totals = dict.fromkeys(("error", "warning", "info", "suppressed"), 0)
    for report in reports:
        lines += [f.format() for f in report.findings]
        for s in report.suppressed:
            lines.append(f"{s.finding.format()} [suppressed by {s.by} at {s.location}]")
        for key in totals:
            totals[key] += report.counts.get(key, 0)
    lines.append(
        f"{_plural(totals['error'], 'error')}, {_plural(totals['warning'], 'warning')}, "
        f"{totals['info']} info, {totals['suppressed']} suppressed "
        f"in {_plural(len(reports), 'spec')}"
    )
    return "\n".join(lines) + "\n"


def _finding_json(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.code,
        "severity": str(f.severity),
        "message": f.message,
        "hint": f.hint,
        "file": f.location.file,
        "line": f.location.line,
        "column": f.location.column,
        "path": f.path,
        "fingerprint": fingerprint(f),
    }


def format_json(reports: list[LintReport]) -> str:
    data = {
        "version": 1,
        "reports": [
            {
                "file": r.source,
                "counts": dict(sorted(r.counts.items())),
                "findings": [_finding_json(f) for f in r.findings],
                "suppressed": [
                    {
                        **_finding_json(s.finding),
                        "suppressed_by": s.by,
                        "suppression": {
                            "file": s.location.file,
                            "line": s.location.line,
                            "column": s.location.column,
                        },
                    }
                    for s in r.suppressed
                ],
            }
            for r in reports
        ],
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Workflow-command message escaping (as @actions/core does it)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Property values also end at ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(reports: list[LintReport]) -> str:
    lines = []
    for report in reports:
        for f in report.findings:
            props = ",".join(
                (
                    f"file={escape_property(relative_path(f.location.file))}",
                    f"line={f.location.line}",
                    f"col={f.location.column}",
                    f"title={escape_property(f.code)}",
                )
            )
            message = f"{f.message}; {f.hint}" if f.hint else f.message
            lines.append(f"::{_GITHUB_LEVEL[f.severity]} {props}::{escape_data(message)}")
    return "".join(line + "\n" for line in lines)


FORMATS: dict[str, Callable[[list[LintReport]], str]] = {
    "text": format_text,
    "json": format_json,
    "sarif": format_sarif,
    "github": format_github,
}
