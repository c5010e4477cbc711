"""SARIF 2.1.0 output, shaped for GitHub code scanning.

Why partial fingerprints from the element path and not the line: inserting a line
above a finding must not make code scanning close one alert and open another.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote as url_quote

from generator import __version__
from generator.diagnostics import Severity
from generator.lint.docs import rule_help_markdown
from generator.lint.registry import Finding, all_rules

if TYPE_CHECKING:
    from generator.lint.engine import LintReport

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://archsmith.dev/lint/"  # the rule page the site renders
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT_KEY = "archsmithFinding/v1"


def relative_path(source: str) -> str:
    """The spec's path relative to the working directory (the repository root in CI), with '/'."""
    path = Path(source)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return path.as_posix()
    return PurePosixPath(*path.parts).as_posix()


def artifact_uri(source: str) -> str:
    """A relative, URI-escaped path: code scanning resolves it against the repository root."""
    path = Path(source)
    if path.is_absolute() and not relative_path(source).startswith("/"):
        return url_quote(relative_path(source), safe="/")
    if path.is_absolute():
        return path.as_uri()
    return url_quote(relative_path(source), safe="/")


def fingerprint(f: Finding) -> str:
    text = "\x1f".join((f.code, f.location.file, f.path))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _rule_descriptor(rule_index: int) -> dict[str, Any]:
    rule = all_rules()[rule_index]
    return {
        "id": rule.id,
        "name": "".join(
            w.capitalize() for w in rule.summary.replace("/", " ").split() if w.isalnum()
        ),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": rule.rationale, "markdown": rule_help_markdown(rule)},
        "helpUri": f"{INFORMATION_URI}#{rule.id.lower()}",
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.area.lower()]},
    }


def _result(
    f: Finding, index: dict[str, int], suppression: dict[str, Any] | None
) -> dict[str, Any]:
    message = f"{f.message}; {f.hint}" if f.hint else f.message
    result: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": LEVELS[f.severity],
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(f.location.file)},
                    "region": {"startLine": f.location.line, "startColumn": f.location.column},
                },
                "logicalLocations": [{"fullyQualifiedName": f.path, "kind": "member"}]
                if f.path
                else [],
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(f)},
    }
    if suppression is not None:
        result["suppressions"] = [suppression]
    return result


def format_sarif(reports: list[LintReport]) -> str:
    rules = all_rules()
    index = {r.id: i for i, r in enumerate(rules)}
    results: list[dict[str, Any]] = []
    for report in reports:
        results += [_result(f, index, None) for f in report.findings]
        for s in report.suppressed:
            where = s.location
            results.append(
                _result(
                    s.finding,
                    index,
                    {
                        "kind": "inSource",
                        "justification": f"suppressed by {s.by}",
                        "location": {
                            "physicalLocation": {
                                "artifactLocation": {"uri": artifact_uri(where.file)},
                                "region": {"startLine": where.line, "startColumn": where.column},
                            }
                        },
                    },
                )
            )
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "archsmith",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule_descriptor(i) for i in range(len(rules))],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
