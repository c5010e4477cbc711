"""Architecture changes: services, their dependencies and events, infrastructure, the
authentication scheme, and the style and scaling stage the rules derive.

| change                                            | level    |
| ------------------------------------------------- | -------- |
| authentication scheme changed                     | breaking (every client logs in anew) |
| event removed while a service still consumes it   | breaking |
| service removed                                   | warning (its callers and owned data move) |
| dependency added (a new synchronous call)         | warning (a new failure path) |
| infrastructure component removed                  | warning |
| architecture style changed, scaling stage changed | warning |
| service, event, dependency or component added     | info |
| dependency removed, consumer added or removed     | info |
"""

from __future__ import annotations

from generator.diff.report import Change, Level
from generator.model import System
from generator.rules.scaling import Stage, plan_scaling
from generator.rules.style import decide_style


def architecture_changes(old: System | None, new: System | None) -> list[Change]:
    if old is None or new is None:
        return []
    out: list[Change] = []

    def add(rule: str, level: Level, message: str, system: System, key: str, path: str) -> None:
        out.append(Change(rule, level, "architecture", message, system.locate(key), path))

    sa, sb = {s.name: s for s in old.services}, {s.name: s for s in new.services}
    for name in sa:
        if name not in sb:
            add(
                "arch.service-removed",
                "warning",
                f"service {name} removed",
                old,
                f"services.{name}",
                f"services.{name}",
            )
    for name, s in sb.items():
        key = f"services.{name}"
        if name not in sa:
            add("arch.service-added", "info", f"service {name} added", new, key, key)
            continue
        da = {d.service: d for d in sa[name].depends_on}
        db = {d.service: d for d in s.depends_on}
        for dep, d in db.items():
            if dep not in da:
                add(
                    "arch.dependency-added",
                    "warning",
                    f"{name} now calls {dep} over {d.protocol}: a new synchronous failure path",
                    new,
                    f"{key}.depends_on",
                    f"{key}.depends_on.{dep}",
                )
            elif da[dep].protocol != d.protocol:
                add(
                    "arch.dependency-changed",
                    "info",
                    f"{name} -> {dep}: {da[dep].protocol} -> {d.protocol}",
                    new,
                    f"{key}.depends_on",
                    f"{key}.depends_on.{dep}",
                )
        for dep in da:
            if dep not in db:
                add(
                    "arch.dependency-removed",
                    "info",
                    f"{name} no longer calls {dep}",
                    new,
                    key,
                    f"{key}.depends_on.{dep}",
                )
        for event in s.consumes:
            if event not in sa[name].consumes:
                add(
                    "arch.consumer-added",
                    "info",
                    f"{name} now consumes {event}",
                    new,
                    f"{key}.consumes",
                    f"{key}.consumes.{event}",
                )
        for event in sa[name].consumes:
            if event not in s.consumes:
                add(
                    "arch.consumer-removed",
                    "info",
                    f"{name} no longer consumes {event}",
                    new,
                    key,
                    f"{key}.consumes.{event}",
                )
    ea, eb = {e.name: e for e in old.events}, {e.name: e for e in new.events}
    for name, e in ea.items():
        still = [c for c in e.consumers if c in sb and name in sb[c].consumes]
        if name not in eb or not eb[name].publishers:
            level: Level = "breaking" if still else "info"
            why = f"; {', '.join(still)} still consume it" if still else ""
            add(
                "arch.event-removed",
                level,
                f"event {name} is no longer published{why}",
                old,
                "services",
                f"events.{name}",
            )
    for name in eb:
        if name not in ea:
            add(
                "arch.event-added", "info", f"event {name} added", new, "services", f"events.{name}"
            )
    ia, ib = old.infrastructure.model_dump(mode="json"), new.infrastructure.model_dump(mode="json")
    for key in sorted(set(ia) | set(ib)):
        was, now = ia.get(key), ib.get(key)
        if was == now:
            continue
        removed = bool(was) and not now
        level = "warning" if removed else "info"
        add(
            f"arch.infrastructure-{'removed' if removed else 'changed'}",
            level,
            f"infrastructure.{key}: {was!r} -> {now!r}",
            new if not removed else old,
            f"infrastructure.{key}",
            f"infrastructure.{key}",
        )
    if old.security.scheme != new.security.scheme:
        add(
            "arch.auth-scheme-changed",
            "breaking",
            f"authentication {old.security.scheme} -> {new.security.scheme}: every client must change how it signs in",
            new,
            "security.scheme",
            "security.scheme",
        )
    style_a, style_b = decide_style(old).style, decide_style(new).style
    if style_a != style_b:
        add(
            "arch.style-changed",
            "warning",
            f"architecture style {style_a} -> {style_b}",
            new,
            "architecture",
            "architecture.style",
        )
    stage_a, stage_b = plan_scaling(old).current, plan_scaling(new).current
    if (stage_a and stage_a.number) != (stage_b and stage_b.number):
        add(
            "arch.scaling-stage-changed",
            "warning",
            f"scaling {_stage(stage_a)} -> {_stage(stage_b)}",
            new,
            "requirements.scale",
            "requirements.scale",
        )
    return out


def _stage(stage: Stage | None) -> str:
    return f"stage {stage.number} ({stage.name})" if stage is not None else "unknown (no users_now)"
