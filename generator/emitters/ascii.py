"""Box-drawing diagrams for the markdown design document: architecture, ER overview, auth.

Why a character canvas: boxes sit on one grid of 23-column cells, so tiers line up and
no line ever runs through a box; every diagram fits in 100 columns. Pure functions.
"""

from __future__ import annotations

from generator.emitters.ascii_canvas import BOX, WIDTH, Canvas, clean
from generator.emitters.ascii_sequence import auth_sequence
from generator.model import System

__all__ = ["architecture", "auth_sequence", "er_overview"]

STEP = 23  # box plus a three-column gap that holds "──▶"
LEFT = 3  # column of the first box; column 1 carries the trunk to the backends
PER_ROW = 4
MONOLITHS = ("monolith", "modular-monolith")


def _grid(canvas: Canvas, y: int, boxes: list[list[str]], x0: int = LEFT) -> int:
    """Boxes in rows of four; returns the first free line below them."""
    for start in range(0, len(boxes), PER_ROW):
        row = boxes[start : start + PER_ROW]
        height = max(len(b) for b in row)
        for i, lines in enumerate(row):
            canvas.box(x0 + i * STEP, y, lines + [""] * (height - len(lines)))
        y += height + 3
    return y - 1


def architecture(system: System, style: str) -> str:
    infra = system.infrastructure
    monolith = style in MONOLITHS
    canvas = Canvas()
    entry = [["Clients", "web · mobile"]] + [
        [title, tech]
        for title, tech in (
            ("CDN", infra.cdn),
            ("Load balancer", infra.load_balancer),
            ("API gateway", infra.gateway),
        )
        if tech
    ]
    for i, lines in enumerate(entry):
        canvas.box(LEFT + i * STEP, 0, lines)
        if i:
            canvas.put(LEFT + i * STEP - 3, 1, "──▶")
    down = LEFT + (len(entry) - 1) * STEP + BOX // 2
    canvas.put(down, 3, "┬")
    canvas.vline(down, 4, 4)
    canvas.put(down + 2, 4, "HTTPS")
    canvas.put(down, 5, "▼")

    kind = "module" if monolith else "function" if style == "serverless" else "service"
    boxes = [
        [s.name, s.technology or kind, f"{len(s.owns)} table" + "s" * (len(s.owns) != 1)]
        for s in system.services
    ] or [[system.name, "application"]]
    lower = [
        ["Database", infra.database]
        + (
            [f"+{infra.read_replicas} read replica" + "s" * (infra.read_replicas > 1)]
            if infra.read_replicas
            else []
        )
    ]
    lower += [
        [title, tech]
        for title, tech in (
            ("Cache", infra.cache),
            ("Queue · async", infra.queue),
            ("Search", infra.search),
            ("Object storage", infra.object_storage),
        )
        if tech
    ]
    lower += [["External", name, what] for name, what in sorted(infra.external.items())]
    cols = min(PER_ROW, max(len(boxes), len(entry), len(lower), 2))
    frame = LEFT * 2 + (cols - 1) * STEP + BOX
    title = {"serverless": "Functions"}.get(style, "Application" if monolith else "Services")
    bottom = _grid(canvas, 8, boxes) + 1
    canvas.box(0, 6, [""] * (bottom - 7), frame, clean(f"{title} · {style}", frame - 8))
    _grid(canvas, 8, boxes)  # again: the frame's blank lines overwrote the first pass
    _backends(canvas, bottom, lower)
    return canvas.text() + "\n" + _interactions(system, monolith)


def _backends(canvas: Canvas, y: int, boxes: list[list[str]]) -> None:
    """A trunk down column 1 from the frame; each row of boxes hangs off its own bus."""
    canvas.put(1, y, "┬")
    rows = [boxes[i : i + PER_ROW] for i in range(0, len(boxes), PER_ROW)]
    for r, row in enumerate(rows):
        last = r == len(rows) - 1
        centres = [LEFT + i * STEP + BOX // 2 for i in range(len(row))]
        canvas.vline(1, y + 1, y + 1)
        bus = ["─"] * (centres[-1] - 1)
        for c in centres:
            bus[c - 2] = "┬"
        canvas.put(1, y + 2, ("└" if last else "├") + "".join(bus)[:-1] + "┐")
        for c in centres:
            canvas.put(c, y + 3, "▼")
        height = max(len(b) for b in row)
        for i, lines in enumerate(row):
            canvas.box(LEFT + i * STEP, y + 4, lines + [""] * (height - len(lines)))
        if not last:
            canvas.vline(1, y + 3, y + 5 + height)
        y += height + 5


def _interactions(system: System, monolith: bool) -> str:
    calls = [
        (s.name, "──▶", d.service, "in-process" if monolith else d.protocol.upper(), d.description)
        for s in system.services
        for d in s.depends_on
    ]
    queue = system.infrastructure.queue or "direct"
    events = [
        (
            ", ".join(e.publishers) or "?",
            "┄┄▶",
            ", ".join(e.consumers) or f"({queue})",
            e.name,
            "event",
        )
        for e in system.events
    ]
    lines = [
        "Legend: ──▶ synchronous call    ┄┄▶ asynchronous event"
        + (f" via {queue}" if system.infrastructure.queue else "")
    ]
    rows = calls + events
    if not rows:
        return lines[0] + "\n"
    w1 = min(24, max(len(r[0]) for r in rows))
    w2 = min(24, max(len(r[2]) for r in rows))
    w3 = min(24, max(len(r[3]) for r in rows))
    for a, arrow, b, what, note in rows:
        line = f"  {clean(a, w1):<{w1}} {arrow} {clean(b, w2):<{w2}}  {clean(what, w3):<{w3}}  "
        lines.append((line + clean(note, WIDTH - len(line))).rstrip())
    return "\n".join(lines) + "\n"


def er_overview(system: System) -> str:
    """Every table with its foreign keys: cardinality, target and ON DELETE, by owner."""
    fks = sum(len(e.foreign_keys) for e in system.tables)
    lines = [
        clean(
            f"{system.name} · {_count(len(system.tables), 'table')} · {_count(fks, 'foreign key')}",
            WIDTH,
        ),
        "Cardinality: N ──▶ 1 many-to-one   1 ──▶ 1 one-to-one   0..1 optional (nullable)",
        "",
        f"  {'Table':<26} {'Column':<22} {'':<12} {'References':<22} On delete",
    ]
    owners = dict.fromkeys(
        [s.name for s in system.services] + [e.owner or "shared" for e in system.tables]
    )
    for owner in owners:
        members = [e for e in system.tables if (e.owner or "shared") == owner]
        if members:
            lines.append(f"── {clean(owner, 60)} ".ljust(98, "─"))
        for e in members:
            name = clean(e.table + (" (join)" if e.is_join_table else ""), 26)
            if not e.foreign_keys:
                lines.append(f"  {name:<26} —")
            for i, fk in enumerate(e.foreign_keys):
                card = f"{'1' if fk.kind == 'one-to-one' else 'N'} ──▶ {'0..1' if fk.nullable else '1'}"
                lines.append(
                    f"  {name if i == 0 else '':<26} {clean(fk.column, 22):<22} "
                    f"{card:<12} {clean(fk.target_table, 22):<22} "
                    f"{fk.on_delete.replace('-', ' ')}"
                )
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
