"""`make bench`: per-stage medians for N = 10, 100, 1000 entities, peak memory, and the
same workload through TypeSpec (`tsp compile` → OpenAPI 3) and `dbml2sql --postgres`.
TypeSpec compiles two inputs: the bare model written by hand (bench/gen.py), and the
very contract archsmith wrote, converted to TypeSpec by TypeSpec's own tsp-openapi3.

Peers are timed as whole processes, so archsmith's ratios use whole processes too
(`python bench/run.py --emit openapi|postgresql FILE`), interpreter start included.
Not a test: it prints numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import compileall
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gen import write  # noqa: E402
from generator.pipeline import load_system  # noqa: E402

PEERS = ROOT / "bench" / "node_modules" / ".bin"


def median_of(runs: int, action: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def load(path: Path) -> Any:
    return load_system(path)


def text_stages(path: Path) -> dict[str, float]:
    """Seconds of each text stage in one pass, run in a fresh process (`--text-stages`):
    what one `archsmith build` pays, template compilation and cold caches included."""
    from generator.emitters import ascii, openapi, sql
    from generator.emitters.design_doc import Parts, render_design
    from generator.lint import lint
    from generator.rules.analysis import analyze

    out: dict[str, float] = {}
    out["load+validate"], system = median_of(1, lambda: load(path))
    out["rules+review"], (analysis, _) = median_of(1, lambda: (analyze(system), lint(system)))
    out["openapi"], spec_yaml = median_of(1, lambda: openapi.render(system))
    out["ddl (3 dialects)"], ddl = median_of(1, lambda: sql.render_all(system))
    style = analysis.style.style
    out["ascii"], drawings = median_of(
        1,
        lambda: (
            ascii.architecture(system, style),
            ascii.er_overview(system),
            ascii.auth_sequence(system),
        ),
    )
    parts = Parts(spec_yaml, ddl["schema.postgresql.sql"], drawings[0], drawings[1], drawings[2])
    out["design doc"], _ = median_of(1, lambda: render_design(system, analysis, parts))
    return out


def stages(path: Path, runs: int, heavy: bool) -> dict[str, float]:
    """Medians over `runs` fresh processes for the text stages (and of their per-run
    totals), then diagrams and the site in this process."""
    command = [sys.executable, str(Path(__file__).resolve()), "--text-stages", str(path)]
    samples = [
        json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        for _ in range(runs)
    ]
    out = {stage: statistics.median(s[stage] for s in samples) for stage in samples[0]}
    out["text artifacts"] = statistics.median(sum(s.values()) for s in samples)
    if heavy:
        from generator.emitters import graphviz
        from generator.rules.analysis import analyze

        system = load(path)
        style = analyze(system).style.style
        out["diagrams (dot)"], _ = median_of(
            1 if runs < 3 else runs, lambda: graphviz.render(system, style)
        )
        runs_site = 1 if runs < 3 else 3
        out["site"], out["bare mkdocs build"] = site_times(path, runs_site)
    return out


def site_times(path: Path, runs: int) -> tuple[float, float]:
    """archsmith's whole site stage, and a bare `mkdocs build` of the very same pages."""
    from generator.build import build_system
    from generator.site import build_site, run_mkdocs, write_project

    built = build_system(load(path))
    ours, _ = median_of(runs, lambda: build_site([built]))
    with tempfile.TemporaryDirectory(prefix="bench-mkdocs-") as tmp:
        config = write_project(Path(tmp) / "project", [built])
        bare, _ = median_of(runs, lambda: run_mkdocs(config, Path(tmp) / "out"))
    return ours, bare


def incremental(work: Path, specs: int, entities: int, runs: int) -> tuple[float, float]:
    """A cold build of `specs` specs (empty cache), then one spec edited and built again,
    each written to an output folder as `archsmith build` does.

    Why a fresh cache per run: the cold number must render everything every time.
    """
    from bench.gen import archsmith_spec
    from generator.artifacts import write_tree
    from generator.build import build_all
    from generator.cache import Cache

    def build(cache: Cache) -> None:  # what `archsmith build` does, minus printing
        write_tree(work / "out", build_all([folder], cache=cache).tree)

    folder = work / "many"
    folder.mkdir()
    text = archsmith_spec(entities)
    for i in range(specs):
        (folder / f"spec-{i:02d}.yaml").write_text(
            text.replace(f"slug: bench-{entities}", f"slug: bench-{i:02d}")
        )
    edited = folder / "spec-00.yaml"
    colds, warms = [], []
    for run in range(runs):
        cache = Cache(work / f"cache-{run}")
        started = time.perf_counter()
        build(cache)
        colds.append(time.perf_counter() - started)
        edited.write_text(edited.read_text().replace("users_now: ", f"users_now: {run + 1}", 1))
        started = time.perf_counter()
        build(cache)
        warms.append(time.perf_counter() - started)
    return statistics.median(colds), statistics.median(warms)


def process_seconds(command: list[str], runs: int) -> float:
    seconds, _ = median_of(runs, lambda: subprocess.run(command, check=True, capture_output=True))
    return seconds


def peak_rss_mib(path: Path) -> float:
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r});"
        "from generator.cli import tune_gc; tune_gc();"
        "from bench.run import load; from generator.rules.analysis import analyze;"
        "from generator.emitters import openapi, sql, ascii; from generator.emitters.design_doc import render_design;"
        f"s = load(__import__('pathlib').Path({str(path)!r})); a = analyze(s); openapi.render(s); sql.render_all(s);"
        "ascii.architecture(s, a.style.style); render_design(s, a);"
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))"
    )
    # VmHWM belongs to the address space; ru_maxrss survives fork/exec and would report
    # the (much larger) benchmark process.
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )
    return int(result.stdout.strip()) / 1024


def emit(kind: str, path: Path) -> None:
    """Whole-process counterpart of a peer: read the spec, write one artifact."""
    system = load(path)
    if kind == "openapi":
        from generator.emitters import openapi

        text = openapi.render(system)
    else:
        from generator.emitters import sql

        text = sql.render(system, kind)
    Path(tempfile.gettempdir(), f"archsmith-bench.{kind}").write_text(text)


Row = tuple[str, float, float, int, int]  # label, peer s, archsmith s, peer bytes, ours


def peers(paths: dict[str, Path], runs: int, contract_runs: int, work: Path) -> list[Row]:
    """Each peer and archsmith as whole processes on the same model, with output sizes:
    archsmith's contract says more (filters, sorting, sparse fields, errors, limits)."""
    if not (PEERS / "tsp").exists() or not (PEERS / "dbml2sql").exists():
        print("  peers: not installed (cd bench && npm ci); skipped")
        return []
    me = [sys.executable, str(Path(__file__).resolve()), "--emit"]
    ours_out = Path(tempfile.gettempdir())
    tsp_out = work / "tsp"
    tsp = process_seconds(
        [
            str(PEERS / "tsp"),
            "compile",
            str(paths["typespec"]),
            "--emit",
            "@typespec/openapi3",
            "--output-dir",
            str(tsp_out),
        ],
        runs,
    )
    ours = process_seconds([*me, "openapi", str(paths["archsmith"])], runs)
    tsp_bytes = sum(f.stat().st_size for f in tsp_out.rglob("*.yaml"))
    our_document = ours_out / "archsmith-bench.openapi"
    rows = [
        (
            "OpenAPI: TypeSpec tsp compile vs archsmith",
            tsp,
            ours,
            tsp_bytes,
            our_document.stat().st_size,
        )
    ]
    rows.append(same_contract(our_document, ours, contract_runs, work))
    dbml = process_seconds(
        [str(PEERS / "dbml2sql"), str(paths["dbml"]), "--postgres", "-o", str(work / "dbml.sql")],
        runs,
    )
    ours = process_seconds([*me, "postgresql", str(paths["archsmith"])], runs)
    rows.append(
        (
            "PostgreSQL DDL: dbml2sql vs archsmith",
            dbml,
            ours,
            (work / "dbml.sql").stat().st_size,
            (ours_out / "archsmith-bench.postgresql").stat().st_size,
        )
    )
    return rows


# tsp-openapi3 writes a bare @patch, which warns per operation that no implicit-optional
# transform applies (the Update models are optional already); printing a thousand code
# frames took TypeSpec 20 minutes at N = 1000. Saying so explicitly keeps the contract.
_PATCH = re.compile(r"^@patch$", re.MULTILINE)


def same_contract(our_document: Path, ours: float, runs: int, work: Path) -> Row:
    """TypeSpec compiling the contract archsmith wrote, as TypeSpec's own converter
    (tsp-openapi3) writes it in TypeSpec: the same operations, parameters, responses
    and schemas, so both tools produce a document of about the same size."""
    source = work / "contract"
    subprocess.run(
        [str(PEERS / "tsp-openapi3"), str(our_document), "--output-dir", str(source)],
        check=True,
        capture_output=True,
    )
    main = source / "main.tsp"
    main.write_text(_PATCH.sub("@patch(#{ implicitOptionality: false })", main.read_text()))
    config = work / "tspconfig.yaml"
    config.write_text(
        'emit: ["@typespec/openapi3"]\n'
        'options: {"@typespec/openapi3": {openapi-versions: ["3.1.0"]}}\n'
    )
    out = work / "contract-out"
    command = [str(PEERS / "tsp"), "compile", str(main), "--config", str(config)]
    tsp = process_seconds([*command, "--output-dir", str(out)], runs)
    theirs = next(out.rglob("openapi.yaml"))
    alike, total = contract_match(our_document, theirs)
    return (
        f"OpenAPI, same contract ({alike}/{total} operations alike): TypeSpec vs archsmith",
        tsp,
        ours,
        theirs.stat().st_size,
        our_document.stat().st_size,
    )


def contract_match(ours: Path, theirs: Path) -> tuple[int, int]:
    """How many of our operations TypeSpec wrote with the same id, parameters, request
    and response schemas and response codes, out of how many.

    Why security is left out: tsp-openapi3 does not convert it (TypeSpec writes less).
    """
    import yaml

    def operations(path: Path) -> dict[tuple[str, str], Any]:
        document = yaml.load(path.read_text(), Loader=yaml.CSafeLoader)
        shared = document.get("components", {}).get("parameters", {})

        def parameter(p: dict[str, Any]) -> tuple[str, str]:
            p = shared[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p
            return p["in"], p["name"]

        def schema(part: dict[str, Any]) -> Any:
            return part.get("content", {}).get("application/json", {}).get("schema")

        return {
            (route, method): (
                op.get("operationId"),
                sorted(parameter(p) for p in op.get("parameters", [])),
                schema(op.get("requestBody", {})),
                sorted(op["responses"]),
                [schema(r) for code, r in sorted(op["responses"].items()) if code < "300"],
            )
            for route, item in document["paths"].items()
            for method, op in item.items()
            if method in {"get", "put", "post", "patch", "delete"}
        }

    a, b = operations(ours), operations(theirs)
    return sum(a[key] == b.get(key) for key in a), len(a.keys() | b.keys())


def main() -> None:
    from generator.cli import tune_gc

    tune_gc()  # stages are timed in this process, as `archsmith build` runs them
    (ROOT / "bench" / "work").mkdir(exist_ok=True)
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-heavy", action="store_true", help="skip diagrams and site")
    parser.add_argument("--emit", nargs=2, metavar=("KIND", "FILE"))
    parser.add_argument("--text-stages", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.emit:
        emit(args.emit[0], Path(args.emit[1]))
        return
    if args.text_stages:
        print(json.dumps(text_stages(Path(args.text_stages))))
        return
    # Why: an installed archsmith runs from bytecode (pip compiles at install, Python
    # caches on first import). Where PYTHONDONTWRITEBYTECODE is set, as on this
    # project's VMs, each timed process started below would compile the sources
    # again (~0.25 s). Not in the branches above: those are the timed processes.
    compileall.compile_dir(ROOT / "generator", quiet=1)
    # Under bench/: TypeSpec resolves its libraries from node_modules above the source.
    work = Path(tempfile.mkdtemp(prefix="run-", dir=ROOT / "bench" / "work"))
    try:
        cli = process_seconds([sys.executable, "-m", "generator", "--version"], args.runs)
        print(f"CLI start (archsmith --version): {cli * 1000:.0f} ms median of {args.runs}")
        for n in (int(s) for s in args.sizes.split(",")):
            paths = write(n, work / str(n))
            runs = args.runs if n < 1000 else max(3, args.runs // 2)
            print(
                f"\nN = {n} entities ({paths['archsmith'].stat().st_size / 1024:.0f} KiB spec), median of {runs} run(s)"
            )
            timed = stages(paths["archsmith"], runs, heavy=not args.no_heavy)
            for stage, seconds in timed.items():
                print(f"  {stage:<22} {seconds * 1000:>9.0f} ms")
            if "site" in timed:
                ratio = timed["site"] / timed["bare mkdocs build"]
                print(f"  site / bare mkdocs     {ratio:>9.2f}×")
            print(f"  {'peak memory (text)':<22} {peak_rss_mib(paths['archsmith']):>9.0f} MiB")
            # One same-contract run at N = 1000: TypeSpec takes about two minutes there.
            contract_runs = 1 if n >= 1000 else runs
            for label, peer, ours, peer_bytes, our_bytes in peers(paths, runs, contract_runs, work):
                verdict = (
                    f"{peer / ours:.1f}× faster" if ours < peer else f"{ours / peer:.1f}× slower"
                )
                print(
                    f"  {label}: {peer * 1000:.0f} ms vs {ours * 1000:.0f} ms → archsmith"
                    f" {verdict} (writing {our_bytes / 1024:,.0f} KiB vs {peer_bytes / 1024:,.0f} KiB)"
                )
        if not args.no_heavy:
            cold, warm = incremental(work, specs=50, entities=10, runs=max(1, args.runs // 2))
            print(
                f"\nIncremental, 50 specs of 10 entities: cold build {cold:.2f} s, one spec edited"
                f" {warm:.2f} s ({warm / cold:.0%} of cold)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"\npeak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
