"""What building one spec produces: the resolved system, its analysis and review, its files.

Why a module of its own: the build makes these and the site reads them; with the record
here, the site never imports the build that calls it.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.lint import LintReport
from generator.model import System
from generator.rules.analysis import Analysis


@dataclass(frozen=True, slots=True)
class Built:
    system: System
    analysis: Analysis
    review: LintReport
    files: dict[str, bytes]  # relative to the spec's own folder DIR/<slug>/
