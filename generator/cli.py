"""The `archsmith` command: the only place that prints or exits.

Exit codes: 0 success, 1 findings or drift (lint, build --check), 2 invalid input or
usage, 3 the environment cannot do it (e.g. graphviz missing).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import __version__
from generator.diagnostics import Diagnostic, SpecError, ToolError, UsageError

if TYPE_CHECKING:
    from generator.build import BuildResult
    from generator.cache import Cache

EXIT_OK, EXIT_FINDINGS, EXIT_INVALID, EXIT_TOOL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="archsmith",
        description="Architecture as code for backend systems: one YAML spec in, a complete design out.",
    )
    parser.add_argument("--version", action="version", version=f"archsmith {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = sub.add_parser("build", help="generate every artifact (and the website) from specs")
    _build_options(build)
    build.add_argument(
        "--check",
        action="store_true",
        help="compare with the output folder instead of writing; exit 1 on drift",
    )
    loudness = build.add_mutually_exclusive_group()
    loudness.add_argument("--quiet", action="store_true", help="print errors only")
    loudness.add_argument(
        "--verbose", action="store_true", help="one line per spec, with cache hit or miss"
    )
    build.add_argument("--timings", action="store_true", help="print the time of every stage")

    serve = sub.add_parser(
        "serve", help="build, serve the website on 127.0.0.1 and rebuild when specs change"
    )
    _build_options(serve)
    serve.add_argument(
        "--port", type=int, default=8000, help="port on 127.0.0.1; 0 picks a free one"
    )

    check = sub.add_parser("check", help="validate specs only")
    check.add_argument("paths", nargs="*", type=Path, default=[], metavar="PATHS")

    init = sub.add_parser("init", help="write a commented starter spec (into specs/)")
    init.add_argument("dir", nargs="?", type=Path, default=Path("specs"), metavar="DIR")

    schema = sub.add_parser("schema", help="print the spec's JSON Schema (draft-07)")
    schema.add_argument(
        "--model",
        action="store_true",
        help="the JSON Schema of model.json instead (draft 2020-12)",
    )

    diff = sub.add_parser(
        "diff",
        help="breaking API changes, migrations and architecture changes between two versions",
    )
    diff.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATHS",
        help="OLD.yaml NEW.yaml, or with --base the specs or folders to compare (default: specs/)",
    )
    diff.add_argument("--base", metavar="REV", help="compare with each spec at this git revision")
    diff.add_argument(
        "--out", type=Path, help="write migrations, changes.md and changes.json per spec here"
    )
    diff.add_argument(
        "--format",
        action="append",
        choices=("text", "markdown", "json", "sarif", "github"),
        help="report format (default: text); repeat for several, paired with --output in order",
    )
    diff.add_argument("--output", action="append", type=Path, metavar="FILE")
    diff.add_argument(
        "--fail-on",
        choices=("breaking", "destructive", "none"),
        default="breaking",
        help="exit 1 on a breaking (or destructive) change (default: breaking)",
    )

    review = sub.add_parser(
        "lint", help="design review: backend-architecture rules across the whole spec"
    )
    review.add_argument("paths", nargs="*", type=Path, default=[], metavar="PATHS")
    review.add_argument(
        "--format",
        action="append",
        choices=("text", "json", "sarif", "github"),
        help="report format (default: text); repeat for several, paired with --output in order",
    )
    review.add_argument(
        "--output",
        action="append",
        type=Path,
        metavar="FILE",
        help="write the report of the matching --format to FILE; formats without one go to stdout",
    )
    review.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even with findings or invalid specs (report-only jobs)",
    )
    review.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        default=None,
        help="lowest severity that makes the exit code 1 (default: error)",
    )
    review.add_argument(
        "--list-rules", action="store_true", help="print every rule with id, severity and summary"
    )
    return parser


def _build_options(command: argparse.ArgumentParser) -> None:
    """What `build` and `serve` share: inputs, output folder and cache."""
    command.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[],
        metavar="PATHS",
        help="spec files or folders (default: specs/)",
    )
    command.add_argument("--out", type=Path, default=None, help="output folder (default: build/)")
    command.add_argument("--only", type=_only, default=None, help="artifacts, comma-separated")
    group = command.add_mutually_exclusive_group()
    group.add_argument(
        "--cache",
        type=Path,
        metavar="DIR",
        help="cache of rendered artifacts (default: .archsmith-cache/ next to the output folder)",
    )
    group.add_argument("--no-cache", action="store_true", help="render every spec from scratch")


def _only(text: str) -> object:
    from generator.selection import parse_only

    try:
        return parse_only(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _options(args: argparse.Namespace) -> Any:
    from generator.config import find_config, load_config
    from generator.diagnostics import Severity
    from generator.discovery import is_spec
    from generator.options import CommandLine, options

    found = find_config(Path.cwd())
    config = load_config(found) if found else None
    reports = _report_pairs(getattr(args, "format", None), getattr(args, "output", None))
    cli = CommandLine(
        paths=args.paths,
        out=getattr(args, "out", None),
        cache=getattr(args, "cache", None),
        no_cache=getattr(args, "no_cache", False),
        only=getattr(args, "only", None),
        fail_on=Severity(args.fail_on) if getattr(args, "fail_on", None) else None,
        reports=reports,
        exit_zero=getattr(args, "exit_zero", False),
    )
    opts = options(cli, config, keep=is_spec)
    args.paths = opts.paths
    if hasattr(args, "out"):
        args.out = opts.out
        args.cache = opts.cache
        args.no_cache = opts.no_cache
    return opts


def tune_gc() -> None:
    """Collect the youngest generation every 200,000 allocations instead of 700.

    Why: a build allocates millions of small objects that live until it ends (the model,
    documents, events), so the default thresholds rescan them over and over; at 1,000
    entities that was a third of load, OpenAPI and design-doc time. mypy does the same.
    """
    gc.set_threshold(200_000, 30, 30)


def main(argv: Sequence[str] | None = None) -> int:
    tune_gc()
    args = _parser().parse_args(argv)
    try:
        return int(_COMMANDS[args.command](args))
    except SpecError as error:
        _explain(error)
        count = len(error.diagnostics)
        print(
            f"archsmith: {count} problem{'s' if count != 1 else ''}; nothing was written",
            file=sys.stderr,
        )
        return EXIT_INVALID
    except UsageError as error:
        print(error.format(), file=sys.stderr)
        return EXIT_INVALID
    except ToolError as error:
        _explain(error)
        return EXIT_TOOL
    except KeyboardInterrupt:
        print("archsmith: interrupted; nothing was written", file=sys.stderr)
        return 130


def _explain(error: SpecError | ToolError) -> None:
    """User mistakes one compiler-style line each; an environment problem in one line."""
    if isinstance(error, SpecError):
        for diagnostic in error.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
    else:
        print(f"archsmith: error: {error}", file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from generator.artifacts import diff_trees, read_tree, write_tree
    from generator.build import build_all
    from generator.discovery import discover
    from generator.output_guard import check_output_folder, check_specs_outside
    from generator.selection import Artifact, select, split_drift

    opts = _options(args)
    cache = _cache(args, writable=not args.check)  # --check writes nowhere, not even a cache
    own = [cache.root] if cache else []
    check_output_folder(args.out, inputs=args.paths, ignore=own, writing=not args.check)
    specs = discover(args.paths)
    check_specs_outside(args.out, specs)
    with _Progress(enabled=not args.quiet) as progress:
        result = build_all(
            specs,
            cache=cache,
            progress=progress,
            profile=opts.profile,
            site=Artifact.SITE in opts.only,
        )
        tree = select(result.tree, opts.only)
        if not args.check:
            progress("write", 0, 1)
            with result.timings.stage("write"):
                write_tree(args.out, tree, ignore=own)
    _warn(result.warnings, args.quiet)
    code = EXIT_OK
    if args.check:
        stale, missing, extra = diff_trees(tree, select(read_tree(args.out), opts.only))
        label_of = {**dict.fromkeys(stale, "stale"), **dict.fromkeys(missing, "missing")}
        label_of.update(dict.fromkeys(extra, "extra"))
        artifacts, site = split_drift(label_of)
        for name in artifacts + site:
            print(f"{label_of[name]}: {args.out / name}")
        if artifacts:
            print(f"archsmith: {args.out} is out of date; run 'archsmith build'", file=sys.stderr)
        if site:
            print(
                f"archsmith: the website in {args.out / 'site'} differs in {len(site)} files; "
                "the artifacts above decide the design, the site also depends on the MkDocs "
                "versions (install with constraints.txt, or check with --only without site)",
                file=sys.stderr,
            )
        if artifacts or site:
            code = EXIT_FINDINGS
        elif not args.quiet:
            print(f"{args.out} is up to date ({len(tree)} files)")
    elif not args.quiet:
        _report_built(result, args.out, verbose=args.verbose, cache=cache)
    if args.timings:
        print("\n".join(result.timings.lines()))
    return code


def _cache(args: argparse.Namespace, *, writable: bool) -> Cache | None:
    from generator.cache import Cache, default_cache_dir

    if args.no_cache:
        return None
    return Cache(args.cache or default_cache_dir(args.out), writable=writable)


def _report_built(result: BuildResult, out: Path, *, verbose: bool, cache: Cache | None) -> None:
    if verbose:
        print(f"cache: {cache.root if cache else 'off'}")
    for item in result.built:
        how = ""
        if verbose:
            how = ", cache hit" if result.cached[item.system.slug] else ", rendered"
        print(
            f"built {item.system.source} -> {out / item.system.slug}/ ({len(item.files)} files{how})"
        )
    if verbose:
        pages = sum(1 for name in result.tree if name.startswith("site/"))
        how = "cache hit" if result.site_cached else "rebuilt"
        print(f"site: {how} -> {out / 'site'}/ ({pages} files)")


def _warn(warnings: list[str], quiet: bool) -> None:
    for warning in [] if quiet else warnings:
        print(f"archsmith: warning: {warning}", file=sys.stderr)


class _Progress:
    """Stage progress on stderr: a rich bar on a terminal, plain lines in logs and CI.

    Why CI counts as no terminal: some CI runners fake a TTY, and a redrawn bar turns
    into hundreds of log lines there.
    """

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.fancy = enabled and sys.stderr.isatty() and not os.environ.get("CI")
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> _Progress:
        if self.fancy:
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._bar is not None:
            if stage not in self._tasks:
                self._tasks[stage] = self._bar.add_task(stage, total=total)
            self._bar.update(self._tasks[stage], completed=done)
        elif self.enabled and done == 0:
            unit = "" if stage in ("site", "write") else f" ({total} spec{'s' * (total != 1)})"
            print(f"archsmith: {stage}{unit}", file=sys.stderr, flush=True)


def _serve(args: argparse.Namespace) -> int:
    from generator.artifacts import write_tree
    from generator.build import build_all, inputs
    from generator.discovery import discover, display_name
    from generator.output_guard import check_output_folder, check_specs_outside
    from generator.serve import LiveServer, run

    opts = _options(args)
    cache = _cache(args, writable=True)
    own = [cache.root] if cache else []
    check_output_folder(args.out, inputs=args.paths, ignore=own)
    check_specs_outside(args.out, discover(args.paths))
    write_tree(args.out, build_all(args.paths, cache=cache, profile=opts.profile).tree, ignore=own)
    try:
        server = LiveServer(args.out.resolve() / "site", args.port)
    except OSError as error:
        print(
            f"archsmith: error: cannot serve on 127.0.0.1:{args.port}: {error.strerror}",
            file=sys.stderr,
        )
        return EXIT_TOOL
    print(f"serving {server.url} from {args.out / 'site'}/ (Ctrl-C stops)", flush=True)

    def rebuild(changed: set[Path]) -> bool:
        start = time.perf_counter()
        try:
            result = build_all(args.paths, cache=cache, profile=opts.profile)
            write_tree(args.out, result.tree, ignore=own)
        except (SpecError, ToolError, UsageError) as error:
            print(error.format() if isinstance(error, UsageError) else "", end="", file=sys.stderr)
            if not isinstance(error, UsageError):
                _explain(error)
            print("archsmith: kept the previous site", file=sys.stderr, flush=True)
            return False
        _warn(result.warnings, quiet=False)
        names = ", ".join(sorted(display_name(path) for path in changed))
        print(
            f"rebuilt in {time.perf_counter() - start:.1f} s after {names} changed"
            f" ({sum(result.cached.values())} of {len(result.built)} specs from the cache)",
            flush=True,
        )
        return True

    ignore = [args.out, *([cache.root] if cache else [])]
    run(server, args.paths, list(inputs()), ignore, rebuild)
    print("archsmith: stopped serving", file=sys.stderr)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from generator.build import load_all
    from generator.discovery import discover

    _options(args)
    systems = load_all(discover(args.paths))
    for system in systems:
        print(
            f"ok {system.source} ({len(system.entities)} entities, {len(system.api.operations)} operations)"
        )
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from generator.render import templates_dir
    from generator.schema import schema_text

    target = args.dir / "system.yaml"
    if target.exists():
        print(f"archsmith: error: {target} already exists; choose another folder", file=sys.stderr)
        return EXIT_INVALID
    args.dir.mkdir(parents=True, exist_ok=True)
    target.write_bytes((templates_dir() / "init" / "starter.yaml").read_bytes())
    (args.dir / "archsmith.schema.json").write_text(schema_text(), encoding="utf-8")
    default = args.dir == Path("specs")
    print(
        f"wrote {target} and {args.dir / 'archsmith.schema.json'}; "
        f"next: archsmith build{'' if default else f' {args.dir}'}"
    )
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from generator.schema import model_schema_text, schema_text

    sys.stdout.write(model_schema_text() if args.model else schema_text())
    return EXIT_OK


def _lint(args: argparse.Namespace) -> int:
    from generator.build import load_each
    from generator.discovery import discover
    from generator.lint import FORMATS, exit_code, lint, list_rules

    opts = _options(args)
    if args.list_rules:
        sys.stdout.write(list_rules(opts.profile))
        return EXIT_OK
    specs = discover(args.paths)
    targets = _report_targets(opts.reports, specs)
    systems, errors = load_each(specs)
    reports = [lint(system, opts.profile) for system in systems]
    for format_name, target in targets:
        text = FORMATS[format_name](reports, errors)
        if target is None:
            sys.stdout.write(text)
        else:
            _write_report(target, text)
    if opts.exit_zero:
        return EXIT_OK
    if errors:
        count = len(errors)
        print(f"archsmith: {count} spec problem{'s' * (count != 1)}", file=sys.stderr)
        return EXIT_INVALID
    return exit_code(reports, opts.fail_on)


def _report_pairs(
    formats: list[str] | None, outputs: list[Path] | None
) -> list[tuple[str, Path | None]]:
    """Each --format with the --output at its position (stdout without one); an --output
    given alone writes text. Shared by lint and diff so both pair reports alike."""
    outputs = outputs or []
    formats = formats or (["text"] if outputs else [])
    if len(outputs) > len(formats):
        raise UsageError(
            str(outputs[len(formats)]),
            "usage",
            "--output without a --format to write",
            "give one --format per --output, in the same order",
        )
    return [(f, outputs[i] if i < len(outputs) else None) for i, f in enumerate(formats)]


def _report_targets(
    pairs: list[tuple[str, Path | None]], specs: list[Path]
) -> list[tuple[str, Path | None]]:
    """Check the (format, output file or stdout) pairs before any work."""
    if sum(target is None for _, target in pairs) > 1:
        raise UsageError(
            "--format",
            "usage",
            "more than one report would go to stdout",
            "give each --format but one an --output FILE",
        )
    inputs = {spec.resolve() for spec in specs}
    for _, target in pairs:
        if target is not None and (target.resolve() in inputs or target.is_dir()):
            raise UsageError(
                str(target), "usage", "a report would replace a spec or a folder", "name a new file"
            )
    return pairs


def _write_report(target: Path, text: str) -> None:
    """Written whole or not at all: a half-written SARIF file fails its upload later."""
    temp = target.with_name(f".{target.name}.archsmith-tmp")
    try:
        temp.write_text(text, encoding="utf-8")
        temp.replace(target)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise UsageError(
            str(target), "output", f"cannot write the report: {error.strerror or error}"
        ) from error


def _diff(args: argparse.Namespace) -> int:
    from generator.artifacts import write_tree
    from generator.build import load_all
    from generator.diff import FORMATS, diff_systems, exit_code, migrations, pair_specs, write_files
    from generator.diff.git import GitError, specs_at_revision
    from generator.discovery import discover, has_spec_sign
    from generator.output_guard import check_output_folder, check_specs_outside
    from generator.pipeline import load_text

    pairs = _report_pairs(args.format or ["text"], args.output)
    if args.base is None:
        if len(args.paths) != 2:
            raise UsageError(
                "diff",
                "usage",
                "name two specs (OLD.yaml NEW.yaml), or compare with a revision (--base REV)",
            )
        old_path, new_path = args.paths
        old_systems, new_systems = load_all([old_path]), load_all([new_path])
        inputs = list(args.paths)
    else:
        inputs = list(args.paths) or [Path("specs")]
        new_systems = (
            load_all(discover([p for p in inputs if p.exists()]))
            if any(p.exists() for p in inputs)
            else []
        )
        try:
            found = specs_at_revision(args.base, inputs)
        except GitError as error:
            raise UsageError("--base", "git", str(error)) from error
        problems: list[Diagnostic] = []
        old_systems = []
        for name, raw in found.items():
            if not has_spec_sign(raw):
                continue
            try:
                old_systems.append(load_text(raw, f"{args.base}:{name}"))
            except SpecError as error:
                problems.extend(error.diagnostics)
        if problems:
            raise SpecError(problems)
    _report_targets(pairs, [p for p in inputs if p.is_file()])
    if args.out is not None:
        check_output_folder(args.out, inputs=inputs)
        check_specs_outside(args.out, [p for p in inputs if p.is_file()])
    reports, files = [], {}
    for old, new in pair_specs(old_systems, new_systems):
        report = diff_systems(old, new)
        if report.changes:
            reports.append(report)
            files.update(write_files(report, migrations(old, new)))
    for name, target in pairs:
        text = FORMATS[name](reports)
        if target is None:
            sys.stdout.write(text)
        else:
            _write_report(target, text)
    if args.out is not None:
        write_tree(args.out, files)
    return exit_code(reports, args.fail_on)


_COMMANDS = {
    "build": _build,
    "serve": _serve,
    "check": _check,
    "init": _init,
    "schema": _schema,
    "lint": _lint,
    "diff": _diff,
}
