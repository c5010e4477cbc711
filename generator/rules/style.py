"""Architecture style from the decision tree of seed 002.

Small team (<5 devs) → monolith; multiple teams with different domains →
microservices; unpredictable spikes → serverless; real-time critical → event-driven;
otherwise a monolith (seed 002 says "monolith or microservices"; with one team and
no trigger above, KISS/YAGNI of seed 003 choose the monolith, made modular when
there is more than one domain).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import System
from generator.rules.missing import MissingKey

SMALL_TEAM = 5  # seed 002: "Small team (<5 devs)?"


@dataclass(frozen=True, slots=True)
class TreeStep:
    question: str
    answer: bool | None  # None: the spec does not say
    outcome: str | None  # the style this step chose, if it decided
    because: str


@dataclass(frozen=True, slots=True)
class StyleDecision:
    style: str  # what the design uses
    recommended: str  # what the decision tree says
    overridden: bool  # the spec set architecture.style to something else
    steps: tuple[TreeStep, ...]
    missing: tuple[MissingKey, ...]


def decide_style(system: System) -> StyleDecision:
    req = system.requirements
    team = req.team
    domains = team.domains if team.domains is not None else max(1, len(system.services))
    steps: list[TreeStep] = []
    missing: list[MissingKey] = []
    recommended: str | None = None

    if team.size is None:
        missing.append(
            MissingKey("requirements.team.size", "the decision tree starts from team size")
        )
        steps.append(TreeStep("Small team (<5 devs)?", None, None, "team size not given"))
    else:
        small = team.size < SMALL_TEAM
        steps.append(
            TreeStep(
                "Small team (<5 devs)?",
                small,
                "monolith" if small else None,
                f"{team.size} developers",
            )
        )
        if small:
            recommended = "monolith"
    if recommended is None:
        multi = team.teams >= 2 and domains >= 2
        steps.append(
            TreeStep(
                "Multiple teams with different domains?",
                multi,
                "microservices" if multi else None,
                f"{team.teams} team(s), {domains} domain(s)",
            )
        )
        if multi:
            recommended = "microservices"
    if recommended is None:
        spikes = req.traffic_spikes
        steps.append(
            TreeStep(
                "Unpredictable traffic spikes?",
                spikes,
                "serverless" if spikes else None,
                "requirements.traffic_spikes is " + str(spikes).lower(),
            )
        )
        if spikes:
            recommended = "serverless"
    if recommended is None:
        realtime = req.realtime
        steps.append(
            TreeStep(
                "Real-time updates critical?",
                realtime,
                "event-driven" if realtime else None,
                "requirements.realtime is " + str(realtime).lower(),
            )
        )
        if realtime:
            recommended = "event-driven"
    if recommended is None:
        recommended = "modular-monolith" if domains >= 2 else "monolith"
        steps.append(
            TreeStep(
                "Otherwise",
                True,
                recommended,
                f"one team; {domains} domain(s) {'become modules' if domains >= 2 else 'in one codebase'}",
            )
        )

    style = system.style_override or recommended
    return StyleDecision(style, recommended, style != recommended, tuple(steps), tuple(missing))
