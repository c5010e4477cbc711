"""What a command runs with: command-line flags over the configuration over defaults.

Why one function: `build`, `check`, `lint` and `serve` must agree on what a flag left
out means, and "the flag wins, then the file, then the default" is easy to get subtly
wrong per command (a `--format` given must drop every report of the file, not add to
them; `site = false` must not undo an explicit `--only site`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.diagnostics import Diagnostic, Severity, SpecError
from generator.selection import ALL_ARTIFACTS, Artifact

if TYPE_CHECKING:
    from generator.config import Config
    from generator.lint.profiles import Profile


@dataclass(frozen=True, slots=True)
class CommandLine:
    """What the user typed: None, empty or False wherever a flag was not given."""

    paths: Sequence[Path] = ()
    out: Path | None = None
    cache: Path | None = None
    no_cache: bool = False
    only: frozenset[Artifact] | None = None
    fail_on: Severity | None = None
    reports: Sequence[tuple[str, Path | None]] = ()  # (--format, its --output or None)
    exit_zero: bool = False


@dataclass(frozen=True, slots=True)
class Options:
    """What a command runs with: the command line over the configuration over defaults.

    Paths are relative to the working folder where they can be (messages stay short).
    """

    config: Path | None
    paths: list[Path]  # spec files, or folders to search (the command line's or `specs/`)
    out: Path
    cache: Path | None  # None: the default place beside `out`
    no_cache: bool
    only: frozenset[Artifact]
    fail_on: Severity
    reports: list[tuple[str, Path | None]]
    exit_zero: bool
    profile: Profile = field(repr=False)


def options(
    cli: CommandLine, config: Config | None, *, keep: Callable[[Path], bool] | None = None
) -> Options:
    """Merge: a flag given on the command line wins, then the configuration, then the default.

    `keep` decides which files matched by `include` are specs (default: the one test
    folder searches use, a top-level `system:` key). Raises SpecError, located in the
    configuration, for a profile problem or an `include` that matches no spec.
    """
    from generator.discovery import is_spec
    from generator.lint.profiles import layer_of, resolve

    if config is None:
        return Options(
            None,
            list(cli.paths) or [Path("specs")],
            cli.out or Path("build"),
            cli.cache,
            cli.no_cache,
            cli.only or ALL_ARTIFACTS,
            cli.fail_on or Severity.ERROR,
            list(cli.reports) or [("text", None)],
            cli.exit_zero,
            resolve(None),
        )
    root = config.root
    lint = config.lint
    paths = list(cli.paths)
    if not paths:
        paths = (
            [_near(p) for p in config.resolve_specs(keep=keep or is_spec)] if config.include else []
        )
        if config.include and not paths:
            raise SpecError(
                [
                    Diagnostic(
                        Severity.ERROR,
                        "config/no-spec",
                        "no archsmith spec matches 'include'",
                        config.locate("include", key=False),
                        "a spec is a .yaml or .yml file with a top-level 'system:' key",
                    )
                ]
            )
        paths = paths or [_near(root / "specs")]
    only = cli.only or (frozenset(config.only) if config.only else ALL_ARTIFACTS)
    if cli.only is None and config.site is False:
        only -= {Artifact.SITE}
    reports = list(cli.reports) or [
        (r.format, _near(root / r.output) if r.output else None) for r in lint.formats or ()
    ]
    layer = layer_of(
        lint.extends,
        [
            (rule_id, level, config.locate("lint", "rules", rule_id))
            for rule_id, level in lint.rules.items()
        ],
        extends_at=config.locate("lint", "extends", key=False) if lint.extends else None,
        base=root,
        file=config.file,
    )
    return Options(
        config.file,
        paths,
        cli.out or _near(root / (config.out or "build")),
        cli.cache or (_near(root / config.cache) if isinstance(config.cache, str) else None),
        cli.no_cache or (config.cache is False and cli.cache is None),
        only,
        cli.fail_on or (Severity(lint.fail_on) if lint.fail_on else Severity.ERROR),
        reports or [("text", None)],
        cli.exit_zero or bool(lint.exit_zero),
        resolve(layer),
    )


def _near(path: Path) -> Path:
    """`path` relative to the working folder (with `..` when beside it)."""
    try:
        return Path(os.path.relpath(path))
    except ValueError:  # another drive on Windows
        return path
