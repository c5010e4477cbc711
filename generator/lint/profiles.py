"""Rule profiles: which rules run, at which severity, and where each choice was made.

A profile starts from a built-in one and layers files over it, the way Spectral and
Redocly rulesets `extends` a base:

    recommended  every rule at the severity it is registered with (today's review)
    strict       one step up: infos become warnings and warnings become errors, so a
                 team that fails on errors fails on everything the review finds
    security     the SEC rules only (privacy law, secrets, tokens, transport), each at
                 error; for a security team's gate beside the teams' own review

A profile file is TOML:

    extends = "strict"            # a built-in, or a path relative to this file
    [rules]
    API001 = "off"                # the rule does not run
    DB006 = "warning"

Why every setting keeps its origin: with an organization's file extending a shared
one extending a built-in, "why is SEC006 an error here?" must have an answer that
names a file and a line (`archsmith lint --list-rules` prints it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, Location, Severity, SpecError, quote
from generator.lint.registry import RULES, all_rules
from generator.toml_source import display_path, load_toml

if TYPE_CHECKING:
    from generator.lint.registry import Finding

BUILTIN = ("recommended", "strict", "security")
LEVELS = ("error", "warning", "info", "off")
_UP = {
    Severity.INFO: Severity.WARNING,
    Severity.WARNING: Severity.ERROR,
    Severity.ERROR: Severity.ERROR,
}


@dataclass(frozen=True, slots=True)
class Setting:
    """One rule's effective severity (None: off, the rule does not run) and its origin."""

    severity: Severity | None
    origin: str  # "built-in recommended", "team-profile.toml:12", "pyproject.toml:30"
    # Why not always one severity: a few rules grade their own findings (DB005 is a
    # warning on MySQL, info elsewhere). A built-in profile keeps that grading (shifted
    # one step by `strict`); a severity written in a file pins every finding.
    pinned: bool = True
    step_up: bool = False

    def severity_of(self, own: Severity) -> Severity:
        """The severity of a finding the rule reported at `own`."""
        if self.pinned and self.severity is not None:
            return self.severity
        return _UP[own] if self.step_up else own


@dataclass(frozen=True, slots=True)
class Profile:
    settings: Mapping[str, Setting]  # every registered rule id

    def setting(self, rule_id: str) -> Setting:
        return self.settings[rule_id]

    def runs(self, rule_id: str) -> bool:
        return self.settings[rule_id].severity is not None

    def key(self) -> str:
        """A digest of what changes findings (not of origins), for cache keys: the design
        document lists the findings, so a spec's cached artifacts depend on the profile."""
        text = "\n".join(
            f"{rule_id} {s.severity or 'off'} {int(s.pinned)} {int(s.step_up)}"
            for rule_id, s in sorted(self.settings.items())
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def apply(self, finding: Finding) -> Finding:
        """The finding at the severity this profile gives it."""
        severity = self.settings[finding.code].severity_of(finding.severity)
        return finding if severity == finding.severity else replace(finding, severity=severity)


@dataclass(frozen=True, slots=True)
class Layer:
    """Settings written in one place (a profile file, or the `lint` table of a config).

    `base` is the folder a relative `extends` path starts from.
    """

    extends: str | None = None
    extends_at: Location | None = None
    rules: tuple[tuple[str, str, Location], ...] = ()  # rule id, level, where written
    base: Path = field(default_factory=Path)
    file: Path | None = None  # the file it was read from, for cycles


def builtin(name: str) -> Profile:
    """A built-in profile by name (one of BUILTIN)."""
    origin = f"built-in {name}"
    settings: dict[str, Setting] = {}
    for rule in all_rules():
        if name == "recommended":
            settings[rule.id] = Setting(rule.severity, origin, pinned=False)
        elif name == "strict":
            settings[rule.id] = Setting(_UP[rule.severity], origin, pinned=False, step_up=True)
        elif name == "security":
            on = rule.area == "SEC"
            settings[rule.id] = Setting(Severity.ERROR if on else None, origin)
        else:
            raise ValueError(f"unknown built-in profile {name!r}")
    return Profile(settings)


def recommended() -> Profile:
    return builtin("recommended")


def load_layer(path: Path, display: str | None = None) -> Layer:
    """Read a profile file: `extends` and a `[rules]` table, nothing else."""
    shown = display or display_path(path)
    document = load_toml(path, shown)
    data = document.data
    problems: list[Diagnostic] = []
    for key in data:
        if key not in ("extends", "rules"):
            from generator.validate import did_you_mean

            problems.append(
                Diagnostic(
                    Severity.ERROR,
                    "config/unknown-key",
                    f"unknown key {quote(key)} in a lint profile",
                    document.locate((key,), key=True),
                    did_you_mean(key, ["extends", "rules"]) or "allowed keys: extends, rules",
                )
            )
    extends = data.get("extends")
    if extends is not None and not isinstance(extends, str):
        problems.append(_wrong_type("extends", "text", document.locate(("extends",))))
        extends = None
    rules: Any = data.get("rules", {})
    if not isinstance(rules, dict):
        problems.append(_wrong_type("rules", "a table", document.locate(("rules",))))
        rules = {}
    written: list[tuple[str, str, Location]] = []
    for rule_id, level in rules.items():
        where = document.locate(("rules", rule_id), key=True)
        if not isinstance(level, str):
            problems.append(
                _wrong_type(f"rules.{rule_id}", "text", document.locate(("rules", rule_id)))
            )
            continue
        written.append((rule_id, level, where))
    if problems:
        raise SpecError(problems)
    return Layer(
        extends,
        document.locate(("extends",)) if extends is not None else None,
        tuple(written),
        path.parent,
        path.resolve(),
    )


def resolve(layer: Layer | None, *, _seen: tuple[Path, ...] = ()) -> Profile:
    """The effective profile of a layer: its `extends` chain, then its own rules.

    Raises SpecError for unknown rule ids and levels (with did-you-mean), a missing
    profile file and an `extends` cycle, each at the line that says it.
    """
    if layer is None:
        return recommended()
    seen = _seen if layer.file is None or layer.file in _seen else (*_seen, layer.file)
    base = _extended(layer, seen)
    settings = dict(base.settings)
    problems: list[Diagnostic] = []
    for rule_id, level, where in layer.rules:
        problem = _check(rule_id, level, where)
        if problem is not None:
            problems.append(problem)
            continue
        severity = None if level == "off" else Severity(level)
        settings[rule_id] = Setting(severity, f"{where.file}:{where.line}")
    if problems:
        raise SpecError(problems)
    return Profile(settings)


def _extended(layer: Layer, seen: tuple[Path, ...]) -> Profile:
    if layer.extends is None:
        return recommended()
    if layer.extends in BUILTIN:
        return builtin(layer.extends)
    where = layer.extends_at or Location("?", 1, 1)
    path = (layer.base / layer.extends).resolve()
    if path in seen:
        chain = " -> ".join(display_path(p) for p in (*seen, path))
        raise SpecError(
            [
                Diagnostic(
                    Severity.ERROR,
                    "config/extends-cycle",
                    f"profiles extend each other in a cycle: {chain}",
                    where,
                    "remove one of the 'extends'",
                )
            ]
        )
    if not path.is_file():
        from generator.validate import did_you_mean

        raise SpecError(
            [
                Diagnostic(
                    Severity.ERROR,
                    "config/unknown-profile",
                    f"{quote(layer.extends)} is neither a built-in profile "
                    f"({', '.join(BUILTIN)}) nor a file",
                    where,
                    did_you_mean(layer.extends, BUILTIN)
                    or "give a path relative to the file that says 'extends'",
                )
            ]
        )
    return resolve(load_layer(path), _seen=seen)


def _check(rule_id: str, level: str, where: Location) -> Diagnostic | None:
    from generator.validate import did_you_mean

    if rule_id not in RULES:
        return Diagnostic(
            Severity.ERROR,
            "config/unknown-rule",
            f"{quote(rule_id)} is not a rule id",
            where,
            did_you_mean(rule_id, RULES) or "run 'archsmith lint --list-rules' for the ids",
        )
    if level not in LEVELS:
        return Diagnostic(
            Severity.ERROR,
            "config/invalid-value",
            f"{quote(level)} is not a valid severity for {rule_id}; use one of {', '.join(LEVELS)}",
            where,
            did_you_mean(level, LEVELS),
        )
    return None


def _wrong_type(key: str, word: str, where: Location) -> Diagnostic:
    return Diagnostic(Severity.ERROR, "config/wrong-type", f"'{key}' must be {word}", where)


def layer_of(
    extends: str | None,
    rules: Iterable[tuple[str, str, Location]],
    *,
    extends_at: Location | None,
    base: Path,
    file: Path | None = None,
) -> Layer:
    """A layer from settings written elsewhere (the `lint` table of a configuration)."""
    return Layer(extends, extends_at, tuple(rules), base, file.resolve() if file else None)
