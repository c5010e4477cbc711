"""The README's 20-line spec builds, and what the README shows of its output is true."""

from __future__ import annotations

import re

from generator.emitters.design_doc import render_design
from generator.lint import format_text, lint
from generator.pipeline import load_text
from generator.rules.analysis import analyze
from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_spec_is_short_builds_and_matches_what_the_readme_shows() -> None:
    spec_text = re.search(r"## A 20-line spec\n\n```yaml\n(.*?)```", README, re.DOTALL)
    assert spec_text is not None
    assert len(spec_text.group(1).splitlines()) <= 21
    system = load_text(spec_text.group(1), "notes.yaml")
    doc = render_design(system, analyze(system))
    assert "| Architecture style | monolith |" in doc
    assert "| Scaling stage now | Stage 2 · Vertical scaling · $200-500/month |" in doc
    assert "Add `requirements.scale.users_12m` to get growth target for the next stage." in doc
    review = format_text([lint(system)])
    shown = re.search(r"reviews the design as a whole:\n\n```text\n(.*?)```", README, re.DOTALL)
    assert shown is not None
    for line in shown.group(1).splitlines():
        assert line in review, line


def test_the_config_reference_is_generated_from_the_config_model() -> None:
    from generator.config import config_reference_markdown

    block = re.search(
        r"<!-- config-reference:start -->\n(.*?)<!-- config-reference:end -->", README, re.DOTALL
    )
    assert block is not None
    assert block.group(1).strip() == config_reference_markdown().strip()
