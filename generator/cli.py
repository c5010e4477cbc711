"""The `archsmith` command: the only place that prints or exits.

Exit codes: 0 success, 1 findings or drift (lint, build --check), 2 invalid input or
usage, 3 the environment cannot do it (e.g. graphviz missing).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.diagnostics import SpecError, ToolError

EXIT_OK, EXIT_FINDINGS, EXIT_INVALID, EXIT_TOOL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="archsmith",
        description="Architecture as code for backend systems: one YAML spec in, a complete design out.",
    )
    parser.add_argument("--version", action="version", version=f"archsmith {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = sub.add_parser("build", help="generate every artifact (and the website) from specs")
    build.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[Path("specs")],
        metavar="PATHS",
        help="spec files or folders (default: specs/)",
    )
    build.add_argument(
        "--out", type=Path, default=Path("build"), help="output folder (default: build/)"
    )
    build.add_argument(
        "--check",
        action="store_true",
        help="compare with the output folder instead of writing; exit 1 on drift",
    )

    check = sub.add_parser("check", help="validate specs only")
    check.add_argument("paths", nargs="*", type=Path, default=[Path("specs")], metavar="PATHS")

    init = sub.add_parser("init", help="write a commented starter spec")
    init.add_argument("dir", nargs="?", type=Path, default=Path(), metavar="DIR")

    sub.add_parser("schema", help="print the spec's JSON Schema (draft-07)")

    review = sub.add_parser(
        "lint", help="design review: backend-architecture rules across the whole spec"
    )
    review.add_argument("paths", nargs="*", type=Path, default=[Path("specs")], metavar="PATHS")
    review.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text")
    review.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        default="error",
        help="lowest severity that makes the exit code 1 (default: error)",
    )
    review.add_argument(
        "--list-rules", action="store_true", help="print every rule with id, severity and summary"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(_COMMANDS[args.command](args))
    except SpecError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        count = len(error.diagnostics)
        print(
            f"archsmith: {count} problem{'s' if count != 1 else ''}; nothing was written",
            file=sys.stderr,
        )
        return EXIT_INVALID
    except ToolError as error:
        print(f"archsmith: error: {error}", file=sys.stderr)
        return EXIT_TOOL
    except KeyboardInterrupt:
        print("archsmith: interrupted; nothing was written", file=sys.stderr)
        return 130


def _build(args: argparse.Namespace) -> int:
    from generator.artifacts import diff_trees, read_tree, write_tree
    from generator.build import build_tree

    built, tree = build_tree(args.paths)
    if args.check:
        stale, missing, extra = diff_trees(tree, read_tree(args.out))
        for label, names in (("stale", stale), ("missing", missing), ("extra", extra)):
            for name in names:
                print(f"{label}: {args.out / name}")
        if stale or missing or extra:
            print(f"archsmith: {args.out} is out of date; run 'archsmith build'", file=sys.stderr)
            return EXIT_FINDINGS
        print(f"{args.out} is up to date ({len(tree)} files)")
        return EXIT_OK
    write_tree(args.out, tree)
    for item in built:
        print(
            f"built {item.system.source} -> {args.out / item.system.slug}/ ({len(item.files)} files)"
        )
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from generator.build import discover, load_all

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
    print(
        f"wrote {target} and {args.dir / 'archsmith.schema.json'}; next: archsmith build {target}"
    )
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from generator.schema import schema_text

    sys.stdout.write(schema_text())
    return EXIT_OK


def _lint(args: argparse.Namespace) -> int:
    from generator.build import discover, load_all
    from generator.diagnostics import Severity
    from generator.lint import FORMATS, exit_code, lint, list_rules

    if args.list_rules:
        sys.stdout.write(list_rules())
        return EXIT_OK
    reports = [lint(system) for system in load_all(discover(args.paths))]
    sys.stdout.write(FORMATS[args.format](reports))
    return exit_code(reports, Severity(args.fail_on))


_COMMANDS = {"build": _build, "check": _check, "init": _init, "schema": _schema, "lint": _lint}
