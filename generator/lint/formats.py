"""Output formats for lint reports: each `(reports) -> str`, deterministic, no I/O.

text   compiler-style lines for terminals
json   stable keys for scripts
sarif  SARIF 2.1.0 for GitHub code scanning (see sarif.py)
github workflow commands that annotate a pull request

Every format also carries the spec errors of the specs that could not be loaded (rule
ids `spec/<code>`), so the most common pull-request mistake still gets its annotation.
Machine formats give paths relative to the repository root (sarif.relative_path).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, Severity
from generator.lint.docs import list_rules, rule_docs_markdown
from generator.lint.sarif import fingerprint, format_sarif, relative_path, spec_rule_id

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

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


def format_text(reports: list[LintReport], errors: Sequence[Diagnostic] = ()) -> str:
    lines: list[str] = [d.format() for d in errors]
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
        + (f"; {_plural(len({d.location.file for d in errors}), 'spec')} invalid" if errors else "")
    )
    return "\n".join(lines) + "\n"


def _finding_json(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.code,
        "severity": str(f.severity),
        "message": f.message,
        "hint": f.hint,
        "file": relative_path(f.location.file),
        "line": f.location.line,
        "column": f.location.column,
        "path": f.path,
        "fingerprint": fingerprint(f),
    }


def _error_json(d: Diagnostic) -> dict[str, Any]:
    return {
        "rule": spec_rule_id(d),
        "severity": str(d.severity),
        "message": d.message,
        "hint": d.hint,
        "file": relative_path(d.location.file),
        "line": d.location.line,
        "column": d.location.column,
    }


def format_json(reports: list[LintReport], errors: Sequence[Diagnostic] = ()) -> str:
    data = {
        "version": 1,
        "errors": [_error_json(d) for d in errors],
        "reports": [
            {
                "file": relative_path(r.source),
                "counts": dict(sorted(r.counts.items())),
                "findings": [_finding_json(f) for f in r.findings],
                "suppressed": [
                    {
                        **_finding_json(s.finding),
                        "suppressed_by": s.by,
                        "suppression": {
                            "file": relative_path(s.location.file),
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


def github_annotation(d: Diagnostic, title: str) -> str:
    """One workflow command: GitHub shows it on the spec's line in the pull request."""
    props = ",".join(
        (
            f"file={escape_property(relative_path(d.location.file))}",
            f"line={d.location.line}",
            f"col={d.location.column}",
            f"title={escape_property(title)}",
        )
    )
    message = f"{d.message}; {d.hint}" if d.hint else d.message
    return f"::{_GITHUB_LEVEL[d.severity]} {props}::{escape_data(message)}\n"


def format_github(reports: list[LintReport], errors: Sequence[Diagnostic] = ()) -> str:
    lines = [github_annotation(d, spec_rule_id(d)) for d in errors]
    lines += [github_annotation(f, f.code) for report in reports for f in report.findings]
    return "".join(lines)


FORMATS: dict[str, Callable[[list[LintReport], Sequence[Diagnostic]], str]] = {
    "text": format_text,
    "json": format_json,
    "sarif": format_sarif,
    "github": format_github,
}
