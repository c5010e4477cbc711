"""Loads the hypothesis profile (tests/profiles.py) before any test module is imported,
so the budgets that `examples()` computes at decoration time see the right profile."""

from __future__ import annotations

from tests import profiles

profiles.load()
