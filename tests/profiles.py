"""Hypothesis profiles: "ci" for `make test`, "fuzz" for `make fuzz`.

Why derandomized in ci: a submission must never fail by chance. The open-ended random
search belongs to `make fuzz`; what it finds becomes an `@example` regression, which
every ci run then replays.
Why no example database in ci: failures an earlier run saved under .hypothesis/ would
be replayed first, so two runs of one commit could differ.
Why `examples()`: each property test states its budget relative to hypothesis' default
of 100; the profile scales them all (ci as written, fuzz 20 times more).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from tests.helpers import ROOT

PROFILE_VARIABLE = "ARCHSMITH_HYPOTHESIS_PROFILE"
BASELINE = 100

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=BASELINE,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    derandomize=False,
    # Kept so a failure found by one fuzz run is replayed first by the next.
    database=DirectoryBasedExampleDatabase(ROOT / ".hypothesis" / "examples"),
    deadline=None,
    max_examples=20 * BASELINE,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def load() -> str:
    name = os.environ.get(PROFILE_VARIABLE, "ci")
    settings.load_profile(name)
    return name


def examples(count: int) -> int:
    """`count` examples under ci, scaled by the loaded profile's budget otherwise."""
    return max(1, count * settings().max_examples // BASELINE)
