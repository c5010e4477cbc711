"""The seven-section design document: headings, content from rules, escaping, determinism."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from generator.build import build_system
from generator.emitters.design_doc import SECTIONS, render_design
from generator.pipeline import load_system
from generator.rules.analysis import analyze
from tests.helpers import EXAMPLES, spec


def design_of(path: Path) -> str:
    system = load_system(path, display=path.name)
    return render_design(system, analyze(system))


@functools.cache
def built_design(path: Path) -> str:
    """The design document as a build writes it, with the other emitters' parts."""
    return build_system(load_system(path, display=path.name)).files["design.md"].decode()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_seven_headings_in_order(path: Path) -> None:
    headings = re.findall(r"^## (.+)$", design_of(path), flags=re.MULTILINE)
    assert headings == list(SECTIONS)
    assert headings[6] == "7. Monitoring & Observability"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_deterministic(path: Path) -> None:
    assert design_of(path) == design_of(path)


def test_no_placeholder_text_in_examples() -> None:
    for path in EXAMPLES:
        text = design_of(path).lower()
        for placeholder in ("todo", "tbd", "lorem", "placeholder", "coming soon"):
            assert placeholder not in text, (path.name, placeholder)


def test_summary_derives_style_stage_and_capacity_from_the_spec() -> None:
    system = spec("""
        system: {name: Tiny}
        requirements:
          scale: {users_now: 500, daily_active_users: 8640, requests_per_user_per_day: 10, peak_rps: 5}
          latency_ms: {p95: 200}
          team: {size: 3}
    """)
    doc = render_design(system, analyze(system))
    assert "| Small team (&lt;5 devs)? | yes | 3 developers | monolith |" in doc
    assert "stage 1 (Monolith)" in doc
    assert "| Average load | 1 req/s | 8,640 DAU × 10 req/day ÷ 86,400 s |" in doc
    # No read:write ratio or data volume: the document names the keys instead of guessing.
    assert "`requirements.scale.read_write_ratio`" in doc
    assert "`requirements.scale.data_volume_gb`" in doc


def test_decision_tree_branches() -> None:
    base = "system: {{name: T}}\nrequirements:\n  team: {{size: {size}, teams: {teams}, domains: {domains}}}\n  traffic_spikes: {spikes}\n  realtime: {realtime}\n"
    cases = [
        ((3, 1, 1, "false", "false"), "monolith"),
        ((12, 3, 4, "false", "false"), "microservices"),
        ((8, 1, 1, "true", "false"), "serverless"),
        ((8, 1, 1, "false", "true"), "event-driven"),
        ((8, 1, 3, "false", "false"), "modular-monolith"),
    ]
    for (size, teams, domains, spikes, realtime), expected in cases:
        system = spec(
            base.format(size=size, teams=teams, domains=domains, spikes=spikes, realtime=realtime)
        )
        assert analyze(system).style.recommended == expected


def test_spec_text_is_escaped_for_markdown_and_html() -> None:
    system = spec("""
        system:
          name: Evil
          description: "<script>alert(1)</script> [x](javascript:alert(1)) {: onclick=\\"x\\"} *bold*"
        entities:
          User:
            description: "<img src=x onerror=alert(1)> a | b"
            fields:
              name: {type: string}
    """)
    doc = render_design(system, analyze(system))
    assert "<script>" not in doc and "<img" not in doc
    assert "&lt;script&gt;" in doc
    assert "\\[x\\]" in doc and "\\{: onclick" in doc and "\\*bold\\*" in doc
    assert "a \\| b" in doc


# --- a design, not a listing (what a reviewer reads on GitHub) ------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_document_designs_and_summarizes_instead_of_pasting(path: Path) -> None:
    doc = built_design(path)
    for heading in (
        "### Data flows",
        "### Failure modes and resilience",
        "### Technology stack",
        "### Trade-offs",
        "### Testing strategy",
        "### Deployment and rollback",
        "### Backups and recovery",
        "### A representative exchange",
    ):
        assert heading in doc, (path.name, heading)
    assert "openapi: 3.1.0" not in doc  # the contract stays in openapi.yaml, linked
    assert doc.count("CREATE TABLE") == 1  # one table's DDL, the rest in the schema files
    assert "[openapi.yaml](openapi.yaml)" in doc and "[schema.sqlite.sql](schema.sqlite.sql)" in doc
    assert len(doc.splitlines()) < 1000, len(doc.splitlines())


def test_two_specs_give_different_designs_where_their_inputs_differ() -> None:
    docs = {p.stem: design_of(p) for p in EXAMPLES}
    shop, flow = docs["shop"], docs["parcelflow"]
    assert "time out after 300 ms (p99 600 ms / (1 hop + 1))" in shop
    assert "time out after 225 ms (p99 450 ms / (1 hop + 1))" in flow
    assert "recover within 43.2 minutes a month ((1 − 99.9/100) × 30 days)" in shop
    assert "recover within 21.6 minutes a month ((1 − 99.95/100) × 30 days)" in flow
    assert "4. ordering → postgresql: INSERT orders in one transaction" in shop
    assert "5. ordering → rabbitmq: publish order.placed" in shop
    assert "shipments → kafka: publish shipment.booked" in flow
    assert "send an idempotency key so a retried charge is not taken twice" in shop


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_it_renders_on_github_without_mkdocs_syntax(path: Path) -> None:
    """Rendered as CommonMark with GFM tables, no MkDocs-only syntax survives as text."""
    from markdown_it import MarkdownIt

    doc = built_design(path)
    html = MarkdownIt("commonmark").enable("table").render(doc)
    assert "!!!" not in doc and "!!!" not in html
    assert not re.search(r"^\s*=== ", doc, re.MULTILINE)  # tabbed blocks
    assert not re.search(r"\{\s*[#.:][^}]*\}\s*$", doc, re.MULTILINE)  # attribute lists
    assert " markdown>" not in doc and 'markdown="1"' not in doc
    assert '<code class="language-mermaid">flowchart LR' in html
    assert '<code class="language-mermaid">erDiagram' in html
    assert "[!NOTE]" in doc or "[!WARNING]" in doc  # notes are GitHub alerts


def test_the_forecast_and_the_budget_drive_scaling() -> None:
    base = """
        system: {name: T}
        requirements:
          scale: {users_now: 40000, users_12m: 60000, peak_rps: 100}
          budget_usd_per_month: 500
          latency_ms: {p95: 200, db_per_request: 8}
          team: {size: 3}
    """
    system = spec(base)
    a = analyze(system)
    assert a.scaling.users_target == 60000  # the forecast, not 10x
    assert a.scaling.target_basis == "requirements.scale.users_12m"
    assert any(r.title.startswith("Stage 3 costs more than the budget") for r in a.risks)
    connections = a.capacity.get("Database connections busy at peak")
    assert connections is not None and connections.value == 1  # 100 req/s × 8 ms
    assert connections.formula == "Little's law at the database: 100 req/s × 8 ms held per request"
    fallback = analyze(spec(base.replace("users_12m: 60000, ", "")))
    assert fallback.scaling.users_target == 400000
    assert fallback.scaling.target_basis == "10x users_now, as no 12-month forecast is given"


def test_light_reads_do_not_ask_for_replicas_or_a_cache() -> None:
    from generator.rules.scaling import STAGES, missing_capabilities

    light = spec(
        "system: {name: T}\nrequirements:\n  scale: {users_now: 5000, read_write_ratio: 2}\n"
    )
    heavy = spec(
        "system: {name: T}\nrequirements:\n  scale: {users_now: 5000, read_write_ratio: 20}\n"
    )
    assert "read_replicas" not in missing_capabilities(light, STAGES[1])
    assert "read_replicas" in missing_capabilities(heavy, STAGES[1])


def test_erasure_anonymises_records_that_only_mention_a_person() -> None:
    from generator.rules.security import plan_security

    system = spec("""
        system: {name: T}
        requirements: {compliance: [GDPR]}
        entities:
          User:
            fields: {email: {type: email, pii: true}}
          Order:
            fields: {address: {type: json, pii: true}}
            relations: {customer: {target: User}}
        api:
          resources:
            users: {entity: User, operations: [get, delete]}
            orders: {entity: Order, operations: [list, get]}
        security: {pii_retention_days: 365, encryption: {at_rest: true}}
    """)
    [gdpr] = plan_security(system).compliance
    assert gdpr.status
    assert gdpr.detail == (
        "retention 365 days; erasure: delete User; anonymise Order.address and keep the records"
    )


def test_rule_text_shows_code_as_code_and_everything_else_escaped() -> None:
    from generator.render import prose

    assert prose("update with `WHERE id = $1` for *each* <b>") == (
        "update with `WHERE id = $1` for \\*each\\* &lt;b&gt;"
    )
    # An unpaired backtick is text, escaped like the rest.
    assert "`" not in prose("one ` tick").replace("\\`", "")
