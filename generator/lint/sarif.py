"""SARIF 2.1.0 output, shaped for GitHub code scanning.

Why partial fingerprints from the element path and not the line: inserting a line
above a finding must not make code scanning close one alert and open another.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote as url_quote

from generator import __version__
from generator.diagnostics import Diagnostic, Severity
from generator.lint.docs import rule_help_markdown
from generator.lint.registry import Finding, all_rules

if TYPE_CHECKING:
    from collections.abc import Sequence

    from generator.lint.engine import LintReport

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://archsmith.dev/lint/"  # the rule page the site renders
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT_KEY = "archsmithFinding/v1"


@functools.cache
def repository_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding `.git` (a folder, or a file in a
    worktree or submodule)."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def relative_path(source: str) -> str:
    """The spec's path relative to the repository root when run inside one (what code
    scanning and pull-request annotations resolve against), else to the working
    folder; with '/'. A path outside both stays absolute."""
    here = Path.cwd().resolve()
    base = repository_root(here) or here
    path = Path(source)
    absolute = Path(os.path.normpath(path if path.is_absolute() else here / path))
    for root in (base, here):
        try:
            return absolute.relative_to(root).as_posix()
        except ValueError:
            continue
    return absolute.as_posix()


def artifact_uri(source: str) -> str:
    """A relative, URI-escaped path: code scanning resolves it against the repository root."""
    relative = relative_path(source)
    if relative.startswith("/"):
        return Path(relative).as_uri()
    return url_quote(relative, safe="/")


def fingerprint(f: Diagnostic) -> str:
    path = f.path if isinstance(f, Finding) else f"{f.location.line}:{f.location.column}"
    text = "\x1f".join((f.code, f.location.file, path))
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


def spec_rule_id(diagnostic: Diagnostic) -> str:
    """Spec errors (YAML, schema, references) as rules of their own: `spec/unknown-key`."""
    return f"spec/{diagnostic.code}"


def _spec_rule_descriptor(rule_id: str) -> dict[str, Any]:
    text = "The spec cannot be read or resolved; nothing is built from it until this is fixed."
    return {
        "id": rule_id,
        "name": "Spec" + "".join(w.capitalize() for w in rule_id[5:].split("-")),
        "shortDescription": {"text": f"invalid spec: {rule_id[5:]}"},
        "fullDescription": {"text": text},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["spec"]},
    }


def _result(
    f: Diagnostic, index: dict[str, int], suppression: dict[str, Any] | None
) -> dict[str, Any]:
    message = f"{f.message}; {f.hint}" if f.hint else f.message
    path = f.path if isinstance(f, Finding) else ""
    rule_id = f.code if isinstance(f, Finding) else spec_rule_id(f)
    result: dict[str, Any] = {
        "ruleId": rule_id,
        "ruleIndex": index[rule_id],
        "level": LEVELS[f.severity],
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(f.location.file)},
                    "region": {"startLine": f.location.line, "startColumn": f.location.column},
                },
                "logicalLocations": [{"fullyQualifiedName": path, "kind": "member"}]
                if path
                else [],
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(f)},
    }
    if suppression is not None:
        result["suppressions"] = [suppression]
    return result


def format_sarif(reports: list[LintReport], errors: Sequence[Diagnostic] = ()) -> str:
    """One run: the spec errors (as `spec/<code>` results) and every loaded spec's findings."""
    rules = all_rules()
    spec_rules = sorted({spec_rule_id(d) for d in errors})
    index = {r.id: i for i, r in enumerate(rules)}
    index.update({rule_id: len(rules) + i for i, rule_id in enumerate(spec_rules)})
    results: list[dict[str, Any]] = [_result(d, index, None) for d in errors]
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
                        "rules": [_rule_descriptor(i) for i in range(len(rules))]
                        + [_spec_rule_descriptor(rule_id) for rule_id in spec_rules],
                    }
                },
                "invocations": [{"executionSuccessful": not errors}],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
