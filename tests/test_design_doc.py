"""The seven-section design document: headings, content from rules, escaping, determinism."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.emitters.design_doc import SECTIONS, render_design
from generator.pipeline import load_system
from generator.rules.analysis import analyze
from tests.helpers import EXAMPLES, spec


def design_of(path: Path) -> str:
    system = load_system(path, display=path.name)
    return render_design(system, analyze(system))


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
            description: "<img src=x onerror=alert(1)>"
            fields:
              name: {type: string, description: "a | b"}
    """)
    doc = render_design(system, analyze(system))
    assert "<script>" not in doc and "<img" not in doc
    assert "&lt;script&gt;" in doc
    assert "\\[x\\]" in doc and "\\{: onclick" in doc and "\\*bold\\*" in doc
    assert "a \\| b" in doc
