"""Project configuration: `[tool.archsmith]` in pyproject.toml, or an archsmith.toml.

Why found upwards from the working folder, nearest first (as ruff does): a monorepo
keeps one configuration at its root and a team may keep its own below it; whichever
is closest to where a command runs decides. An archsmith.toml always counts; a
pyproject.toml only when it has a `[tool.archsmith]` table, so a Python project's
own pyproject.toml below the real configuration does not hide it.

Paths in the file (spec globs, output and cache folders, report files, a profile
file) are relative to the folder of the file, so a command gives the same result
from any sub-folder. Command-line flags override the file.
"""

from __future__ import annotations

import os
import tomllib
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import pathspec
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, Strict, ValidationError

from generator.diagnostics import Diagnostic, Location, Severity, SpecError, quote
from generator.loader import Document, PathKey
from generator.toml_source import display_path, load_toml

if typing.TYPE_CHECKING:
    from generator.lint.profiles import Profile

CONFIG_FILES = ("archsmith.toml", "pyproject.toml")  # in one folder, the first wins
_TABLE: PathKey = ("tool", "archsmith")
_SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})


class Artifact(StrEnum):
    """What `only` selects; see selection.py for the files of each."""

    OPENAPI = "openapi"
    DDL = "ddl"
    DESIGN = "design"
    ASCII = "ascii"
    DIAGRAMS = "diagrams"
    SITE = "site"


LintFormatName = Literal["text", "json", "sarif", "github"]
Level = Literal["error", "warning", "info"]


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, alias_generator=_kebab, populate_by_name=False
    )


class ReportConfig(_Model):
    format: LintFormatName = Field(description="`text`, `json`, `sarif` or `github`.")
    output: str | None = Field(
        None, description="File to write this report to; standard output when not set."
    )


class LintConfig(_Model):
    extends: str | None = Field(
        None,
        description="A built-in profile (`recommended`, `strict`, `security`) or the path "
        "of a profile file (TOML: `extends` and a `[rules]` table). Default: `recommended`.",
    )
    rules: dict[str, Literal["error", "warning", "info", "off"]] = Field(
        default_factory=dict,
        description="Severity per rule id over the profile: `error`, `warning`, `info` or "
        '`off` (the rule does not run), e.g. `{ API001 = "off", SEC006 = "error" }`.',
    )
    fail_on: Level | None = Field(
        None,
        description="Lowest severity that makes `archsmith lint` exit 1 (`--fail-on`). "
        "Default: `error`.",
    )
    formats: list[ReportConfig] | None = Field(
        None,
        description='Reports of one run, e.g. `[{ format = "sarif", output = '
        '"archsmith.sarif" }, { format = "github" }]` (`--format`/`--output` pairs). '
        "Default: `text` to standard output.",
    )
    exit_zero: bool | None = Field(
        None, description="Exit 0 even with findings, for report-only jobs (`--exit-zero`)."
    )


class Config(_Model):
    include: list[str] | None = Field(
        None,
        description="Spec files, as gitignore-style globs (`specs/**/*.yaml`); a YAML file "
        "they match is read when it has a top-level `system:` key. Default: the `specs/` "
        "folder. Command-line PATHS replace it.",
    )
    exclude: list[str] = Field(
        default_factory=list,
        description="Globs of files and folders to leave out (`specs/drafts/`), applied "
        "after `include`.",
    )
    out: str | None = Field(None, description="Output folder (`--out`). Default: `build`.")
    cache: str | bool | None = Field(
        None,
        description="Cache folder (`--cache`), or `false` for no cache (`--no-cache`). "
        "Default: `.archsmith-cache` beside the output folder.",
    )
    # Why Strict(False): strict mode takes only Artifact instances, and TOML has text.
    only: list[Annotated[Artifact, Strict(False)]] | None = Field(
        None,
        description="Artifacts `build` writes and `build --check` compares (`--only`): "
        "`openapi`, `ddl`, `design`, `ascii` (architecture.txt), `diagrams` (SVG and PNG), "
        "`site`. Default: all.",
    )
    site: bool | None = Field(
        None,
        description="Build the website (`build/site/`). Default: `true`; `false` is the same "
        "as leaving `site` out of `only`.",
    )
    lint: LintConfig = Field(
        default_factory=LintConfig,
        description="The `[tool.archsmith.lint]` table: the keys `lint.*` below.",
    )

    _file: Path = PrivateAttr(default=Path("archsmith.toml"))
    _source: Document = PrivateAttr(default_factory=lambda: Document("archsmith.toml", {}))
    _prefix: PathKey = PrivateAttr(default=())

    @property
    def file(self) -> Path:
        """The configuration file this came from (relative paths start at its folder)."""
        return self._file

    @property
    def root(self) -> Path:
        return self._file.parent

    def locate(self, *path: str | int, key: bool = True) -> Location:
        """Where a key of this configuration is written, e.g. `locate("lint", "rules", "API001")`."""
        return self._source.locate((*self._prefix, *path), key=key)

    def resolve_specs(
        self, root: Path | None = None, keep: Callable[[Path], bool] | None = None
    ) -> list[Path]:
        """The spec files `include` and `exclude` select below `root` (the config's folder),
        sorted by relative path; `keep` filters matched files (e.g. "has a `system:` key").

        Why hidden folders and node_modules are not searched: they hold tools' files
        (.git, .venv, the cache), never a team's specs.
        """
        base = self.root if root is None else root
        include = pathspec.GitIgnoreSpec.from_lines(
            self.include or ["specs/**/*.yaml", "specs/**/*.yml"]
        )
        exclude = pathspec.GitIgnoreSpec.from_lines(self.exclude)
        found: list[tuple[str, Path]] = []
        for folder, dirs, files in os.walk(base):
            here = Path(folder)
            relative = here.relative_to(base).as_posix()
            prefix = "" if relative == "." else relative + "/"
            dirs[:] = sorted(
                d
                for d in dirs
                if not d.startswith(".")
                and d not in _SKIPPED_FOLDERS
                and not exclude.match_file(f"{prefix}{d}/")
            )
            for name in files:
                rel = prefix + name
                if include.match_file(rel) and not exclude.match_file(rel):
                    path = here / name
                    if keep is None or keep(path):
                        found.append((rel, path))
        return [path for _, path in sorted(found)]


def find_config(start: Path) -> Path | None:
    """The nearest configuration file in `start` or a folder above it."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        for name in CONFIG_FILES:
            path = candidate / name
            if path.is_file() and (name != "pyproject.toml" or _has_table(path)):
                return path
    return None


def _has_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    try:
        tool = tomllib.loads(text).get("tool")
    except tomllib.TOMLDecodeError:
        # A broken file that looks like it configures archsmith is reported, not skipped.
        return "tool.archsmith" in text
    return isinstance(tool, dict) and "archsmith" in tool


def load_config(path: Path, display: str | None = None) -> Config:
    """Read and validate a configuration file; problems raise SpecError, located."""
    shown = display or display_path(path)
    document = load_toml(path, shown)
    prefix: PathKey = _TABLE if path.name == "pyproject.toml" else ()
    data: Any = document.data
    for part in prefix:
        data = data.get(part, {}) if isinstance(data, dict) else {}
    if not isinstance(data, dict):
        raise SpecError(
            [
                Diagnostic(
                    Severity.ERROR,
                    "config/wrong-type",
                    "'tool.archsmith' must be a table",
                    document.locate(prefix),
                )
            ]
        )
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise SpecError(
            [_diagnostic(document, prefix, data, error) for error in exc.errors()]
        ) from None
    config._file = path
    config._source = document
    config._prefix = prefix
    return config


_TYPE_WORDS = {
    "string_type": "text",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a table",
    "model_type": "a table",
    "enum": "one of",
}


def _diagnostic(
    document: Document, prefix: PathKey, data: dict[str, Any], error: Any
) -> Diagnostic:
    from generator.validate import did_you_mean

    path = _data_path(error["loc"], data)
    where = _describe(path) or "the configuration"
    located = document.locate((*prefix, *path), key=error["type"] == "extra_forbidden")
    if error["type"] == "extra_forbidden" and path:
        allowed = _allowed_keys(path[:-1])
        hint = did_you_mean(str(path[-1]), allowed) or f"allowed keys: {', '.join(allowed)}"
        parent = _describe(path[:-1])
        return Diagnostic(
            Severity.ERROR,
            "config/unknown-key",
            f"unknown key {quote(path[-1])}" + (f" in '{parent}'" if parent else ""),
            located,
            hint,
        )
    value = error.get("input")
    if error["type"] in ("literal_error", "enum"):
        expected = [
            o.strip().strip("'") for o in error["ctx"]["expected"].replace(" or ", ", ").split(",")
        ]
        return Diagnostic(
            Severity.ERROR,
            "config/invalid-value",
            f"{quote(value)} is not a valid '{where}'; use one of {', '.join(expected)}",
            located,
            did_you_mean(str(value), expected),
        )
    if error["type"] in _TYPE_WORDS:
        return Diagnostic(
            Severity.ERROR,
            "config/wrong-type",
            f"'{where}' must be {_TYPE_WORDS[error['type']]}, not {_kind_of(value)}",
            located,
        )
    if error["type"] == "missing":
        return Diagnostic(Severity.ERROR, "config/missing-key", f"'{where}' is required", located)
    return Diagnostic(Severity.ERROR, "config/invalid-value", f"'{where}': {error['msg']}", located)


def _describe(path: PathKey) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return quote(text, 120)[1:-1]


def _data_path(loc: tuple[Any, ...], data: Any) -> PathKey:
    """Pydantic's error path cut to the segments that exist in the file (it adds union
    member names such as 'str' or 'bool'); a missing key is kept as the last segment."""
    path: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        if isinstance(current, dict) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, dict) and i == len(loc) - 1 and isinstance(part, str):
            path.append(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
        elif not isinstance(current, dict | list):
            break
    return tuple(path)


def _allowed_keys(path: PathKey) -> list[str]:
    model: type[BaseModel] = Config
    for part in path:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(str(part).replace("-", "_"))
        inner = _model_in(info.annotation) if info else None
        if inner is None:
            return []
        model = inner
    return sorted(_kebab(name) for name in model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, through `X | None` and `list[X]`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return f"the text {quote(value)}"


ALL_ARTIFACTS = frozenset(Artifact)


def parse_only(text: str) -> frozenset[Artifact]:
    """`--only openapi,ddl,design` as a set; ValueError names an unknown artifact."""
    from generator.validate import did_you_mean

    chosen: set[Artifact] = set()
    for word in (w.strip() for w in text.split(",")):
        if not word:
            continue
        if word not in Artifact.__members__.values():
            names = [a.value for a in Artifact]
            hint = did_you_mean(word, names)
            raise ValueError(
                f"{quote(word)} is not an artifact; use {', '.join(names)}"
                + (f"; {hint}" if hint else "")
            )
        chosen.add(Artifact(word))
    if not chosen:
        raise ValueError(f"name at least one artifact: {', '.join(a.value for a in Artifact)}")
    return frozenset(chosen)


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

    `keep` decides which files matched by `include` are specs (pass the discovery's
    "has a top-level `system:` key" test). Raises SpecError, located in the
    configuration, for a profile problem or an `include` that matches no spec.
    """
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
        paths = [_near(p) for p in config.resolve_specs(keep=keep)] if config.include else []
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


def config_reference_markdown() -> str:
    """The configuration reference as a Markdown table, from the models themselves."""
    rows = ["| Key | Type | Meaning |", "| --- | --- | --- |"]
    for key, info in _fields(Config, ""):
        described = " ".join((info.description or "").split())
        rows.append(f"| `{key}` | {_type_words(info.annotation)} | {described} |")
    return "\n".join(rows) + "\n"


def _fields(model: type[BaseModel], prefix: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for name, info in model.model_fields.items():
        key = prefix + _kebab(name)
        inner = _model_in(info.annotation)
        if inner is LintConfig:
            out += _fields(inner, key + ".")
            continue
        out.append((key, info))
        if inner is not None:
            out += _fields(inner, key + "[].")
    return out


def _type_words(annotation: Any) -> str:
    if typing.get_origin(annotation) is Annotated:
        return _type_words(typing.get_args(annotation)[0])
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return " or ".join(f"`{a!r}`".replace("'", '"') for a in typing.get_args(annotation))
    if origin is list:
        return "list of strings" if args[0] is str else f"list of {_type_words(args[0])}"
    if origin is dict:
        return f"table of {_type_words(args[1])}"
    if args and origin is not None:  # X | None, str | bool
        return " or ".join(_type_words(a) for a in args)
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return " or ".join(f'`"{m.value}"`' for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "table"
    words = {str: "string", bool: "boolean", int: "integer"}
    return (
        words.get(annotation, str(annotation)) if isinstance(annotation, type) else str(annotation)
    )
