"""Mutation fuzzing over the example specs: never a traceback, every failure a located error.

`make test` runs ARCHSMITH_FUZZ_CASES=1000 (the default) from a fixed starting point, so
a submission never fails by chance; `make fuzz` runs 10,000 from a new one each time
(printed with any failure, which then becomes a regression test).
"""

from __future__ import annotations

import os
import random
import time
from collections import Counter

from generator.diagnostics import SpecError
from generator.emitters import ascii, openapi, sql
from generator.emitters.design_doc import render_design
from generator.lint import lint
from generator.pipeline import load_text
from generator.rules.analysis import analyze
from tests.helpers import EXAMPLES

CASES = int(os.environ.get("ARCHSMITH_FUZZ_CASES", "1000"))
SEED = int(os.environ.get("ARCHSMITH_FUZZ_SEED", "20261125"))
ODD_TEXT = [
    "\u202e",
    "\u200b",
    "\x00",
    "\x1b[31m",
    "'",
    '"',
    "{",
    "}",
    "[",
    "]",
    ": ",
    "- ",
    "&a ",
    "*a",
    "!tag ",
    "<script>",
    "\\N",
    "%",
    "\t",
    "\r",
    "é",
    "💥",
    "\ufeff",
    "? ",
]


def mutate(source: bytes, rng: random.Random) -> bytes:
    data = bytearray(source)
    lines = source.split(b"\n")
    kind = rng.randrange(7)
    if kind == 0 and data:  # byte flips
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if kind == 1:  # truncation
        return bytes(data[: rng.randrange(len(data) + 1)])
    if kind == 2:  # line duplication
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif kind == 3:  # line deletion
        del lines[rng.randrange(len(lines))]
    elif kind == 4:  # random Unicode or YAML-significant text
        i = rng.randrange(len(lines))
        line = lines[i].decode("utf-8", errors="replace")
        at = rng.randrange(len(line) + 1)
        lines[i] = (line[:at] + rng.choice(ODD_TEXT) + line[at:]).encode(
            "utf-8", errors="surrogatepass"
        )
    elif kind == 5:  # indentation changes
        i = rng.randrange(len(lines))
        lines[i] = (
            b" " * rng.choice([1, 2, 3, 4]) + lines[i] if rng.random() < 0.5 else lines[i].lstrip()
        )
    else:  # swap two lines
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def test_mutation_fuzz() -> None:
    rng = random.Random(SEED)
    sources = [p.read_bytes() for p in EXAMPLES]
    outcomes: Counter[str] = Counter()
    slowest = 0.0
    for case in range(CASES):
        raw = mutate(rng.choice(sources), rng)
        if rng.random() < 0.3:
            raw = mutate(raw, rng)
        started = time.perf_counter()
        try:
            system = load_text(raw, "fuzz.yaml")
            # A spec that loads goes through every text emitter and the review: a crash
            # there is as much a failure as one in the loader. (Diagrams spawn `dot` and
            # are covered by the property tests instead.)
            analysis = analyze(system)
            openapi.render(system)
            sql.render_all(system)
            ascii.architecture(system, analysis.style.style)
            ascii.er_overview(system)
            ascii.auth_sequence(system)
            lint(system)
            render_design(system, analysis)
            outcomes["valid"] += 1
        except SpecError as error:
            outcomes["rejected"] += 1
            line_count = raw.count(b"\n") + 2
            for d in error.diagnostics:
                assert d.location.file == "fuzz.yaml"
                assert 1 <= d.location.line <= line_count, (case, d.format())
                assert d.location.column >= 1
                text = d.format()
                assert "\n" not in text and "\x1b" not in text and "\u202e" not in text, (
                    case,
                    text,
                )
        except Exception as exc:  # pragma: no cover - the failure we hunt
            raise AssertionError(
                f"case {case} (seed {SEED}) raised {type(exc).__name__}: {exc}\n{raw!r}"
            ) from exc
        slowest = max(slowest, time.perf_counter() - started)
    assert outcomes["rejected"] > CASES // 10 and outcomes["valid"] > CASES // 10, outcomes
    assert slowest < 10.0, slowest  # a hang guard (issue: "within ~2 s"), not a benchmark
    print(
        f"fuzz: {CASES} cases, {outcomes['valid']} valid, {outcomes['rejected']} rejected, 0 failures, slowest {slowest * 1000:.0f} ms"
    )
