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
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import pathspec
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, Strict, ValidationError

from generator.diagnostics import Diagnostic, Location, Severity, SpecError, quote
from generator.discovery import SKIPPED_FOLDERS
from generator.loader import Document, PathKey
from generator.selection import MEANING, Artifact
from generator.toml_source import display_path, load_toml

CONFIG_FILES = ("archsmith.toml", "pyproject.toml")  # in one folder, the first wins
_TABLE: PathKey = ("tool", "archsmith")


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
        + ", ".join(f"`{a}` ({MEANING[a]})" for a in Artifact)
        + ". Default: all.",
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
                and d not in SKIPPED_FOLDERS
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
        item = _type_words(args[0])
        return f"list of {item}s" if item in ("string", "table") else f"list of {item}"
    if origin is dict:
        return f"table of {_type_words(args[1])}"
    if args and origin is not None:  # X | None, str | bool
        return " or ".join(_type_words(a) for a in args)
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return "string"  # the description names the values
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "table"
    words = {str: "string", bool: "boolean", int: "integer"}
    return (
        words.get(annotation, str(annotation)) if isinstance(annotation, type) else str(annotation)
    )
