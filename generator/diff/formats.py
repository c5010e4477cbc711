"""Output formats for change reports: each `(reports) -> str`, deterministic, no I/O.

text      compiler-style lines for terminals
markdown  a pull-request comment: counts, then a table per level
json      stable keys for scripts
sarif     SARIF 2.1.0 for code scanning (escaping and paths from lint/sarif.py)
github    workflow commands that annotate a pull request (escaping from lint/formats.py)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from generator import __version__
from generator.diff.report import LEVELS, Change, ChangeReport
from generator.lint.formats import escape_data, escape_property
from generator.lint.sarif import SCHEMA_URI, artifact_uri, relative_path
from generator.render import md

_SARIF_LEVEL = {"breaking": "error", "warning": "warning", "info": "note"}
_GITHUB_LEVEL = {"breaking": "error", "warning": "warning", "info": "notice"}
INFORMATION_URI = "https://archsmith.dev/diff/"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _summary(reports: list[ChangeReport]) -> str:
    totals = dict.fromkeys((*LEVELS, "destructive"), 0)
    for r in reports:
        for key, n in r.counts.items():
            totals[key] += n
    return (
        f"{totals['breaking']} breaking, {_plural(totals['warning'], 'warning')}, "
        f"{totals['info']} info ({totals['destructive']} destructive) "
        f"in {_plural(len(reports), 'spec')}"
    )


def format_text(reports: list[ChangeReport]) -> str:
    lines = [
        c.format() + (" [destructive]" if c.destructive else "") for r in reports for c in r.changes
    ]
    return "\n".join([*lines, _summary(reports)]) + "\n"


def format_markdown(reports: list[ChangeReport]) -> str:
    """A pull-request comment; spec text is escaped as everywhere else (render.md)."""
    lines = ["## archsmith diff", "", _summary(reports)]
    for r in reports:
        lines += ["", f"### {md(r.slug)}", ""]
        if r.old_source is None:
            lines.append("New spec.")
        elif r.new_source is None:
            lines.append("Deleted spec.")
        if not r.changes:
            lines.append("No changes.")
            continue
        for level in LEVELS:
            changes = [c for c in r.changes if c.level == level]
            if not changes:
                continue
            lines += ["", f"**{level.capitalize()}** ({len(changes)})", ""]
            lines += ["| Side | Change | Where | Safe way |", "| --- | --- | --- | --- |"]
            lines += [_row(c) for c in changes]
    return "\n".join(lines) + "\n"


def _row(c: Change) -> str:
    def cell(text: str) -> str:
        return md(text).replace("|", "\\|").replace("\n", " ")

    mark = " (destructive)" if c.destructive else ""
    where = f"{relative_path(c.location.file)}:{c.location.line}"
    return f"| {c.side} | {cell(c.message)}{mark} | `{where}` | {cell(c.hint)} |"


def _change_json(c: Change) -> dict[str, Any]:
    return {
        "id": c.id,
        "rule": c.rule,
        "level": c.level,
        "side": c.side,
        "destructive": c.destructive,
        "message": c.message,
        "hint": c.hint,
        "path": c.path,
        "file": c.location.file,
        "line": c.location.line,
        "column": c.location.column,
    }


def format_json(reports: list[ChangeReport]) -> str:
    data = {
        "version": 1,
        "reports": [
            {
                "slug": r.slug,
                "old": r.old_source,
                "new": r.new_source,
                "counts": dict(sorted(r.counts.items())),
                "changes": [_change_json(c) for c in r.changes],
            }
            for r in reports
        ],
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def format_sarif(reports: list[ChangeReport]) -> str:
    changes = [c for r in reports for c in r.changes]
    rules = sorted({c.rule for c in changes})
    index = {rule: i for i, rule in enumerate(rules)}
    results = [
        {
            "ruleId": c.rule,
            "ruleIndex": index[c.rule],
            "level": _SARIF_LEVEL[c.level],
            "message": {"text": f"{c.message}; {c.hint}" if c.hint else c.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(c.location.file)},
                        "region": {"startLine": c.location.line, "startColumn": c.location.column},
                    },
                    "logicalLocations": [{"fullyQualifiedName": c.path, "kind": "member"}],
                }
            ],
            "partialFingerprints": {"archsmithChange/v1": c.id},
            "properties": {"side": c.side, "destructive": c.destructive},
        }
        for c in changes
    ]
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "archsmith-diff",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [
                            {
                                "id": rule,
                                "shortDescription": {
                                    "text": rule.split(".", 1)[-1].replace("-", " ")
                                },
                                "helpUri": f"{INFORMATION_URI}#{rule}",
                                "properties": {"tags": [rule.split(".", 1)[0]]},
                            }
                            for rule in rules
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def format_github(reports: list[ChangeReport]) -> str:
    lines = []
    for r in reports:
        for c in r.changes:
            props = ",".join(
                (
                    f"file={escape_property(relative_path(c.location.file))}",
                    f"line={c.location.line}",
                    f"col={c.location.column}",
                    f"title={escape_property(c.rule)}",
                )
            )
            message = f"{c.message}; {c.hint}" if c.hint else c.message
            lines.append(f"::{_GITHUB_LEVEL[c.level]} {props}::{escape_data(message)}")
    return "".join(line + "\n" for line in lines)


FORMATS: dict[str, Callable[[list[ChangeReport]], str]] = {
    "text": format_text,
    "markdown": format_markdown,
    "json": format_json,
    "sarif": format_sarif,
    "github": format_github,
}
