"""The ER diagram as graphviz source: one HTML-like table per table, crow's-foot edges.

Why plain graphviz here, not `diagrams`: tables are HTML labels with a port per column,
which `diagrams` cannot express. Models beyond LARGE_MODEL tables get an overview of
names plus one detailed diagram per owning service, with foreign tables as stubs.
"""

from __future__ import annotations

import graphviz as gv

from generator.emitters.icons import FONT, INK, MUTED, label
from generator.model import Entity, System

PALETTE = ("#2563EB", "#059669", "#D97706", "#7C3AED", "#DB2777", "#0891B2", "#65A30D", "#DC2626")
LARGE_MODEL = 40  # tables; beyond this one picture is unreadable, so split per service
UNOWNED = "shared"


def sources(system: System) -> dict[str, str]:
    groups: dict[str, list[Entity]] = {s.name: [] for s in system.services}
    for entity in system.tables:
        groups.setdefault(entity.owner or UNOWNED, []).append(entity)
    groups = {name: members for name, members in groups.items() if members}
    colors = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(groups)}
    if len(system.tables) <= LARGE_MODEL:
        return {"erd": _erd(system, groups, colors, detailed=True)}
    out = {"erd": _erd(system, groups, colors, detailed=False)}
    for name, members in groups.items():
        out[f"erd-{name}"] = _erd(system, {name: members}, colors, detailed=True)
    return out


def _erd(
    system: System, groups: dict[str, list[Entity]], colors: dict[str, str], detailed: bool
) -> str:
    graph = gv.Digraph("erd")
    part = (
        f" · {label(next(iter(groups)))}" if detailed and len(system.tables) > LARGE_MODEL else ""
    )
    graph.attr(
        rankdir="LR",
        fontname=FONT,
        fontcolor=INK,
        pad="0.4",
        nodesep="0.4",
        ranksep="1.1",
        splines="spline",
        labelloc="t",
        fontsize="20",
        # One text run: the browser lays out SVG text with its own fonts, and a bold name
        # placed apart from the rest ran into it ("Shop· data model").
        label=f"<<b>{label(system.name)} · data model{part}</b>>",
    )
    graph.attr("node", fontname=FONT, fontsize="11", fontcolor=INK, shape="plain")
    graph.attr("edge", color=MUTED, arrowsize="0.8", dir="both")
    shown = {e.name for members in groups.values() for e in members}
    clustered = len(groups) > 1
    for name, members in groups.items():
        sub = gv.Digraph(f"cluster_{name}") if clustered else graph
        if clustered:
            sub.attr(
                label=f"<<b>{label(name)}</b>>",
                style="rounded,filled",
                labeljust="l",
                fillcolor="#F8FAFC",
                pencolor="#CBD5E1",
                fontsize="13",
                margin="14",
            )
        for entity in members:
            text = _table(entity, colors[name]) if detailed else _summary(entity, colors[name])
            sub.node(entity.table, f"<{text}>")
        if clustered:
            graph.subgraph(sub)
    owner = {e.name: e.owner or UNOWNED for e in system.tables}
    for entity in (e for members in groups.values() for e in members):
        for fk in entity.foreign_keys:
            if fk.target not in shown:  # a table of another group: a dashed stub
                shown.add(fk.target)
                graph.node(
                    fk.target_table,
                    f'<{label(fk.target_table)}<br/><font point-size="9">'
                    f"{label(owner[fk.target])}</font>>",
                    shape="box",
                    style="rounded,dashed",
                    color=MUTED,
                    margin="0.15,0.08",
                )
            tail = "teeodot" if fk.kind == "one-to-one" else "crowodot"
            head = "teeodot" if fk.nullable else "teetee"
            ports = detailed and fk.target in {e.name for m in groups.values() for e in m}
            graph.edge(
                f"{entity.table}:c_{fk.column}_out:e" if detailed else entity.table,
                f"{fk.target_table}:c_id_in:w" if ports else fk.target_table,
                arrowtail=tail,
                arrowhead=head,
                tooltip=f"{fk.column} on delete {fk.on_delete}",
            )
    return str(graph.source)


def _table(entity: Entity, color: str) -> str:
    """An HTML-like table: a coloured header, then marker, column name and type per row."""
    fks = {fk.column for fk in entity.foreign_keys}
    rows = [
        f'<tr><td colspan="3" bgcolor="{color}" align="left" cellpadding="6">'
        f'<font color="white" point-size="12"><b>{label(entity.table)}</b></font></td></tr>'
    ]
    for col in entity.columns:
        marks = [
            m
            for m, on in (
                ("PK", col.name in entity.primary_key),
                ("FK", col.name in fks),
                ("UQ", col.unique),
            )
            if on
        ]
        name = f"<b>{label(col.name)}</b>" if col.name in entity.primary_key else label(col.name)
        kind = col.type + (f"({col.max_length})" if col.max_length else "")
        kind += f"({col.precision},{col.scale or 0})" if col.precision else ""
        kind += " null" if col.nullable else ""
        mark = f'<font color="{color}" point-size="9">{" ".join(marks)}</font>' if marks else ""
        rows.append(
            f'<tr><td port="c_{col.name}_in" align="left">{mark}</td>'
            f'<td align="left">{name}</td>'
            f'<td port="c_{col.name}_out" align="left"><font color="{MUTED}">'
            f"{label(kind)}</font></td></tr>"
        )
    return (
        '<table border="1" cellborder="0" cellspacing="0" cellpadding="3" bgcolor="white" '
        f'color="#CBD5E1">{"".join(rows)}</table>'
    )


def _summary(entity: Entity, color: str) -> str:
    return (
        f'<table border="1" cellborder="0" cellspacing="0" cellpadding="5" bgcolor="white" '
        f'color="#CBD5E1"><tr><td bgcolor="{color}"><font color="white"><b>'
        f'{label(entity.table)}</b></font></td></tr><tr><td><font color="{MUTED}" '
        f'point-size="9">{len(entity.columns)} columns</font></td></tr></table>'
    )
