"""The website's Markdown pages and their navigation, from built artifacts.

Why a separate module: site.py runs MkDocs; this one only decides what each page
shows. Display rows are prepared here so the templates in templates/site/ only lay
them out. Every artifact is optional: a page or tab exists only when the artifact
that feeds it was built, so the site renders whatever a `Built` holds.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.render import render
from generator.rules.access import access_label

if TYPE_CHECKING:
    from generator.built import Built
    from generator.lint import LintReport
    from generator.model import System

# Dialect file -> tab label, in the order the tabs appear.
DIALECTS = (
    ("schema.postgresql.sql", "PostgreSQL"),
    ("schema.mysql.sql", "MySQL"),
    ("schema.sqlite.sql", "SQLite"),
)
# Labels by file name first, then by suffix.
DOWNLOAD_NAMES = {
    "openapi.yaml": "OpenAPI 3.1 contract",
    "asyncapi.yaml": "AsyncAPI 3.0 event contract",
    "model.json": "Resolved model (JSON)",
    "workspace.dsl": "Structurizr workspace",
    "catalog-info.yaml": "Backstage catalog entities",
}
DOWNLOAD_LABELS = {
    ".yaml": "YAML",
    ".sql": "SQL DDL",
    ".svg": "Diagram (SVG)",
    ".png": "Diagram (PNG)",
    ".txt": "Diagram (ASCII)",
}
SEVERITY_ORDER = ("error", "warning", "info")  # most urgent first; stable sort keeps location order
ADMONITION = {"error": "danger", "warning": "warning", "info": "info"}


@dataclass(frozen=True, slots=True)
class Page:
    path: str  # relative to docs/, e.g. "shop/api.md"
    title: str  # nav title; generated text, never spec text
    text: str


@dataclass(frozen=True, slots=True)
class SystemSection:
    name: str  # the spec's system name, for the nav (HTML-escaped by site.py)
    pages: tuple[Page, ...]


def rule_docs() -> str | None:
    try:
        from generator.lint import rule_docs_markdown
    except ImportError:
        return None
    return rule_docs_markdown()


def home_page(built: list[Built]) -> Page:
    cards = [_card(item) for item in built]
    return Page(
        "index.md",
        "Home",
        render("site/home.md.j2", cards=cards, has_rules=rule_docs() is not None),
    )


def _card(item: Built) -> dict[str, Any]:
    system, a = item.system, item.analysis
    stage = a.scaling.current
    return {
        "name": system.name,
        "slug": system.slug,
        "version": system.version,
        "description": system.description,
        "style": a.style.style,
        "stage": f"Stage {stage.number} · {stage.name}" if stage else "Stage unknown",
        "counts": [
            (len(system.services), "service" if len(system.services) == 1 else "services"),
            (len(system.entities), "entity" if len(system.entities) == 1 else "entities"),
            (
                len(system.api.operations),
                "endpoint" if len(system.api.operations) == 1 else "endpoints",
            ),
        ],
        "review": _review_chips(item.review),
    }


def _review_chips(report: LintReport) -> list[tuple[str, str]]:
    """(css modifier, label) per severity with findings; one 'passed' chip when clean."""
    chips = [
        (sev, f"{n} {sev}{'' if n == 1 else 's'}")
        for sev in ("error", "warning", "info")
        if (n := report.counts.get(sev, 0))
    ]
    return chips or [("ok", "review passed")]


def system_section(item: Built) -> SystemSection:
    """Every page of one spec: a fixed handful, however many entities it has."""
    system, files, slug = item.system, item.files, item.system.slug
    ctx: dict[str, Any] = {"system": system, "a": item.analysis, "files": files}
    pages = [Page(f"{slug}/index.md", "Overview", _overview(item))]
    pages.append(
        Page(
            f"{slug}/api.md",
            "API",
            render(
                "site/api.md.j2",
                **ctx,
                endpoints=_endpoints(system),
                swagger="openapi.yaml" in files,
            ),
        )
    )
    dialects = [(label, files[name].decode()) for name, label in DIALECTS if name in files]
    erds = sorted(n for n in files if n.startswith("erd") and n.endswith(".svg"))
    pages.append(
        Page(
            f"{slug}/database.md",
            "Database",
            render(
                "site/database.md.j2",
                **ctx,
                dialects=dialects,
                erds=erds,
                entities=_entities(system),
                spec_tables=len(system.entities),
            ),
        )
    )
    ascii_art = files["architecture.txt"].decode() if "architecture.txt" in files else None
    pages.append(
        Page(
            f"{slug}/architecture.md",
            "Architecture",
            render(
                "site/architecture.md.j2", **ctx, ascii_art=ascii_art, services=_services(system)
            ),
        )
    )
    if "asyncapi.yaml" in files:
        pages.append(
            Page(
                f"{slug}/events.md", "Events", render("site/events.md.j2", **ctx, **_events(files))
            )
        )
    pages.append(Page(f"{slug}/decisions.md", "Decisions", render("site/decisions.md.j2", **ctx)))
    pages.append(
        Page(
            f"{slug}/review.md",
            "Review",
            render(
                "site/review.md.j2",
                **ctx,
                review=_review(item.review),
                has_rules=rule_docs() is not None,
            ),
        )
    )
    pages.append(
        Page(
            f"{slug}/downloads.md",
            "Downloads",
            render("site/downloads.md.j2", **ctx, downloads=_downloads(files)),
        )
    )
    return SystemSection(system.name, tuple(pages))


# A fenced block as render.code writes it: no line inside equals its fence.
_FENCE = re.compile(r"^(?P<fence>`{3,})(?P<lang>[a-z]*)\n.*?^(?P=fence)$", re.MULTILINE | re.DOTALL)


def _overview(item: Built) -> str:
    """The design document itself; without it, a short summary stands in.

    Why Mermaid blocks are dropped here: they are for GitHub and GitLab, which draw them;
    the site shows the same diagrams as SVG (with the technology icons) right beside
    them, and drawing Mermaid too would need its script on every page.
    Spec text cannot fake a fence: design.md escapes every backtick from a spec.
    """
    design = item.files.get("design.md")
    if design is None:
        return render("site/overview.md.j2", system=item.system, a=item.analysis)

    def section(match: re.Match[str]) -> str:
        if match["lang"] == "mermaid":
            return ""
        # Diagrams drawn in text are kept out of search, whose results would show them
        # (a <section>: see templates/site/database.md.j2).
        return f"<section data-search-exclude markdown>\n\n{match[0]}\n\n</section>"

    return _FENCE.sub(section, design.decode())


def _endpoints(system: System) -> list[tuple[str, str, str, str]]:
    return [
        (
            op.method,
            op.path,
            op.summary,
            access_label(system, op),
        )
        for op in system.api.operations
    ]


def _entities(system: System) -> list[tuple[str, str, int, str]]:
    """Every table the DDL creates; platform tables say what they are for."""
    return [
        (
            e.name,
            e.table,
            len(e.columns),
            f"{e.platform.replace('-', ' ')}: {e.description}" if e.platform else e.description,
        )
        for e in system.tables
    ]


def _services(system: System) -> list[tuple[str, str, str, str]]:
    return [
        (
            sv.name,
            sv.responsibility,
            ", ".join(sv.owns) or "—",
            ", ".join(d.service for d in sv.depends_on) or "—",
        )
        for sv in system.services
    ]


def _events(files: dict[str, bytes]) -> dict[str, Any]:
    """The event catalogue, read from the AsyncAPI document the build wrote.

    Why from the document and not the model: the page then shows exactly the contract
    consumers get, the envelope and dead-letter channels included.
    """
    import yaml

    document = yaml.load(files["asyncapi.yaml"], Loader=yaml.CSafeLoader)
    channels, operations = document.get("channels", {}), document.get("operations", {})
    schemas = document.get("components", {}).get("schemas", {})
    rest: dict[str, Any] | None = None
    events = []
    for key, message in document.get("components", {}).get("messages", {}).items():
        envelope = schemas[message["payload"]["$ref"].rsplit("/", 1)[1]]
        data = schemas[envelope["properties"]["data"]["$ref"].rsplit("/", 1)[1]]
        parts = data.get("allOf", [data])
        shared = next((p["$ref"].rsplit("/", 1)[1] for p in parts if "$ref" in p), None)
        if shared is not None and rest is None:
            rest = yaml.load(files["openapi.yaml"], Loader=yaml.CSafeLoader)
        properties = [row for part in parts if "$ref" not in part for row in _schema_rows(part)]
        mine = [c for c, ch in channels.items() if key in ch.get("messages", {})]
        main, dead = mine[0], mine[1:]

        def performing(action: str, channel: str = main) -> list[str]:
            target = f"#/channels/{channel}"
            return sorted(
                str(op["x-service"])
                for op in operations.values()
                if op["action"] == action and op["channel"]["$ref"] == target
            )

        senders, receivers = performing("send"), performing("receive")
        events.append(
            {
                "name": message["name"],
                "anchor": key.lower(),
                "address": channels[main]["address"],
                "description": channels[main].get("description", ""),
                "version": envelope["properties"]["version"]["const"],
                "senders": ", ".join(senders) or "—",
                "receivers": ", ".join(receivers) or "—",
                "dead_letters": [channels[d]["address"] for d in dead],
                "shared": shared,
                "properties": properties,
            }
        )
    server = next(iter(document.get("servers", {}).values()), None)
    return {
        "events": events,
        "broker": server["title"] if server else None,
        "version": document["asyncapi"],
    }


def _schema_rows(schema: dict[str, Any]) -> list[tuple[str, str, bool, str]]:
    required = set(schema.get("required", ()))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        kind = prop.get("format") or prop.get("type") or "any JSON"
        if isinstance(kind, list):
            kind = " or ".join(str(k) for k in kind)
        if "enum" in prop:
            kind = "one of " + ", ".join(str(v) for v in prop["enum"] if v is not None)
        rows.append((name, str(kind), name in required, str(prop.get("description", ""))))
    return rows


def _review(report: LintReport) -> dict[str, Any]:
    findings = [
        {
            "code": f.code,
            "kind": ADMONITION.get(str(f.severity), "note"),
            "title": f"{f.code} · {f.severity}",
            "message": f.message,
            "location": str(f.location),
            "hint": f.hint,
        }
        for f in sorted(report.findings, key=lambda f: SEVERITY_ORDER.index(str(f.severity)))
    ]
    suppressed = [(s.finding.code, s.finding.message, s.by) for s in report.suppressed]
    return {"findings": findings, "suppressed": suppressed, "chips": _review_chips(report)}


def _downloads(files: dict[str, bytes]) -> list[tuple[str, str, str]]:
    """(file name, kind, size) for every artifact except the design document (a page)."""
    rows = []
    for name in sorted(files):
        if name.endswith(".md"):
            continue
        kind = DOWNLOAD_NAMES.get(name) or DOWNLOAD_LABELS.get(name[name.rfind(".") :], "File")
        rows.append((name, kind, _size(len(files[name]))))
    return rows


def _size(n: int) -> str:
    return f"{n:,} B" if n < 1024 else f"{n / 1024:,.1f} KB"


_JS_UNSAFE = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def openapi_script(system: System) -> bytes:
    """The OpenAPI document as a script assigning a JS object, for Swagger UI.

    Why a script and not the YAML: browsers refuse fetch() from file:// pages, but
    load <script src> fine. JSON is a JS literal; <, >, & and the JS line separators
    are \\u-escaped so the text can never close a script element. Why from the model
    and not openapi.yaml: parsing the YAML back took most of an incremental site build;
    build_document is what openapi.yaml is written from, so both hold the same document.
    """
    from generator.emitters.openapi import build_document

    text = json.dumps(build_document(system), ensure_ascii=False, separators=(",", ":"))
    return f"window.ARCHSMITH_OPENAPI = {text.translate(_JS_UNSAFE)};\n".encode()
