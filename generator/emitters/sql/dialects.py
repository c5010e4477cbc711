"""The three SQL dialects as data: type map, quoting, literals and capability flags.

Why data and not code paths: templates ask a dialect what to write ("what is a
datetime here?", "can indexes be partial?") instead of branching on its name, and a
per-dialect template exists only where the syntax itself differs (sqlglot's habit).
Reserved words come from SQLAlchemy's per-dialect lists, not from a hand-kept list.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Literal

from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.dialects.mysql.reserved_words import RESERVED_WORDS_MARIADB, RESERVED_WORDS_MYSQL
from sqlalchemy.engine.interfaces import Dialect as SqlaDialect
from sqlalchemy.sql.compiler import IdentifierPreparer

from generator.emitters.sql.escape import (
    comment_lines,
    number_literal,
    scalar_literal,
    string_literal,
)
from generator.model import Column, ScalarValue

CommentStyle = Literal["statement", "inline", "line"]

# Weights PostgreSQL's ts_rank gives A..D by default; reused for SQLite's bm25 hint.
RANK_WEIGHTS = {"A": "1.0", "B": "0.4", "C": "0.2", "D": "0.1"}


@dataclass(frozen=True)
class Dialect:
    name: str
    types: Mapping[str, str]  # field type -> SQL type; {length} {precision} {scale} {values}
    uuid_default: str
    identity: str  # clause after a bigint primary key that makes it count 1, 2, 3 ...
    now: str  # default expression for created_at / updated_at
    booleans: tuple[str, str]  # literals for false, true
    comment_style: CommentStyle  # COMMENT ON statements, inline COMMENT '...', or `--` lines
    backslash_escapes: bool = False  # MySQL string literals treat backslash as an escape
    partial_indexes: bool = True
    alter_add_foreign_key: bool = True  # SQLite cannot; it resolves FK targets at DML time
    transactional_ddl: bool = True
    native_enum: bool = False
    on_update_now: str = ""  # column clause that bumps updated_at (MySQL)
    text_index_prefix: int | None = None  # MySQL indexes TEXT columns only by prefix
    text_default_parens: bool = False  # MySQL 8 takes TEXT defaults only as expressions
    checks: Mapping[str, str] = field(default_factory=dict)  # field type -> CHECK pattern {col}
    max_comment: int = 10_000
    table_options: str = ""
    search_column: str = ""  # a dialect-only column for full-text search (PostgreSQL tsvector)
    extra_reserved: frozenset[str] = frozenset()
    today: str = "CURRENT_DATE"  # default expression for `default: today` on a date
    # MySQL's DATETIME holds no offset and MariaDB refuses one in a literal: a default
    # is written as the same moment in UTC, the zone applications are expected to use.
    naive_datetimes: bool = False
    # MySQL's byte limits (utf8mb4, 4 bytes a character): a VARCHAR's length, a row's
    # VARCHARs together, and an index key. None where the dialect has no such limit.
    max_varchar: int | None = None
    max_row_bytes: int | None = None
    max_key_bytes: int | None = None
    # The promises every dialect keeps, each kept its own way (README: "Same promises in
    # every dialect"; tests/test_dialect_promises.py proves them on the real databases).
    # Exact decimals: SQLite has no exact numeric type (NUMERIC affinity turns 0.1 into a
    # float), so there a decimal is TEXT holding the canonical digits, kept by a CHECK.
    decimal_as_text: bool = False
    # Case-insensitive e-mail: an index on this expression ({col}) where the column's
    # own comparison is case-sensitive (PostgreSQL); '' where the type's collation folds.
    email_fold: str = ""
    char_length: str = "CHAR_LENGTH"  # the function counting characters
    # Soft-delete uniqueness without partial indexes (MySQL): a generated column that is
    # 1 while the row is active and NULL after; unique keys end in it, NULLs never collide.
    active_marker: str = ""  # the column's type and expression, {deleted} the deleted_at column
    # What the DDL's header says about each promise here: topic -> sentence.
    notes: Mapping[str, str] = field(default_factory=dict)
    # SQLite counts rows only in a column declared exactly INTEGER PRIMARY KEY (the rowid).
    identity_type: str | None = None

    def preparer_dialect(self) -> SqlaDialect:
        module = {"postgresql": postgresql, "sqlite": sqlite, "mysql": mysql}[self.name]
        return module.dialect()  # type: ignore[no-any-return]

    def q(self, name: str) -> str:
        """Quote an identifier when this dialect needs it (reserved word, odd characters)."""
        preparer = _preparer(self)
        if name.lower() in self.extra_reserved:
            return preparer.quote_identifier(name)
        return preparer.quote(name)

    def names(self, names: Iterable[str]) -> str:
        """A comma-separated list of quoted identifiers."""
        return ", ".join(self.q(n) for n in names)

    def literal(self, value: ScalarValue) -> str:
        return scalar_literal(
            value, backslash_escapes=self.backslash_escapes, booleans=self.booleans
        )

    def text(self, value: str) -> str:
        return string_literal(value, backslash_escapes=self.backslash_escapes)

    def column_type(self, column: Column, *, as_text: bool = False) -> str:
        if as_text:
            return self.types["text"]
        if column.role == "primary-key" and column.type == "bigint" and self.identity_type:
            return self.identity_type
        values = ", ".join(self.text(v) for v in column.values)
        enum_length = max((len(v) for v in column.values), default=1)
        return self.types[column.type].format(
            length=column.max_length or 255,
            precision=column.precision or 12,
            scale=column.scale if column.scale is not None else 2,
            values=values,
            enum_length=enum_length,
        )

    def column_definitions(
        self,
        columns: Iterable[Column],
        *,
        generated_id: bool,
        text_columns: frozenset[str] = frozenset(),
    ) -> str:
        """The column lines of CREATE TABLE, comma-separated; `generated_id`: the primary
        key column gets a server-side UUID default. Why here and not a template loop: it
        is pure syntax, and Jinja's per-column calls were half of DDL time at 1,000 entities."""
        return ",\n".join(
            self.column_definition(
                c,
                generated_id=generated_id and c.role == "primary-key",
                as_text=c.name in text_columns,
            )
            for c in columns
        )

    def column_definition(
        self, column: Column, *, generated_id: bool, as_text: bool = False
    ) -> str:
        """A column of CREATE TABLE, indented, under its `--` description where the
        dialect keeps comments as lines. `as_text`: a string column written as TEXT,
        its length kept by a CHECK (see text_columns)."""
        length_check = (
            f" CHECK (CHAR_LENGTH({self.q(column.name)}) <= {column.max_length})"
            if as_text and column.max_length
            else ""
        )
        clause = (
            f"    {self.q(column.name)} {self.column_type(column, as_text=as_text)}"
            f"{'' if column.nullable else ' NOT NULL'}"
            f"{self.default(column, generated_id=generated_id)}"
            f"{self.on_update_now if column.role == 'updated-at' else ''}"
            f"{length_check}"
            f"{self.inline_comment(column.description)}"
        )
        return "\n".join([*self.line_comments(column.description, "    "), clause])

    def default(self, column: Column, *, generated_id: bool) -> str:
        """The DEFAULT clause (with leading space), or ''."""
        if generated_id and column.type == "bigint":
            return self.identity
        if generated_id:
            return f" DEFAULT {self.uuid_default}"
        if column.role in ("created-at", "updated-at"):
            return f" DEFAULT {self.now}"
        if column.default is None:
            return ""
        # `now` and `today` are the moment the row is written, not the moment the
        # schema is: the dialect's expression, never a literal.
        if column.type == "datetime" and column.default == "now":
            return f" DEFAULT {self.now}"
        if column.type == "date" and column.default == "today":
            return f" DEFAULT {self.today}"
        value = self._default_value(column, column.default)
        if column.type == "text" and self.text_default_parens:
            return f" DEFAULT ({value})"
        return f" DEFAULT {value}"

    def _default_value(self, column: Column, value: ScalarValue) -> str:
        if column.type == "decimal" and self.decimal_as_text:
            _, scale = _digits(column)
            return self.text(format(Decimal(str(value)).quantize(Decimal(1).scaleb(-scale)), "f"))
        if column.type in ("decimal", "float") and isinstance(value, str):
            # Why: a numeric string ("89.90") is written as a number, anything else is
            # quoted and left for the database to reject, never spliced in raw.
            return number_literal(value) or self.text(value)
        if column.type == "datetime" and isinstance(value, str) and self.naive_datetimes:
            moment = datetime.fromisoformat(value.upper()).astimezone(UTC)
            return self.text(moment.strftime("%Y-%m-%d %H:%M:%S.%f"))
        return self.literal(value)

    def column_checks(self, column: Column) -> str | None:
        """The CHECK condition for a column, if the type needs one here."""
        if column.type == "enum" and not self.native_enum:
            values = ", ".join(self.text(v) for v in column.values)
            return f"{self.q(column.name)} IN ({values})"
        if column.type == "decimal" and self.decimal_as_text:
            return _canonical_decimal_check(self.q(column.name), *_digits(column))
        pattern = self.checks.get(column.type)
        return pattern.format(col=self.q(column.name)) if pattern else None

    def range_check(self, column: Column) -> str | None:
        """The CHECK condition of a column's minimum and maximum, or None."""
        bounds = [(">=", column.minimum), ("<=", column.maximum)]
        if all(bound is None for _, bound in bounds):
            return None
        col = self.q(column.name)
        parts = []
        for op, bound in bounds:
            if bound is None:
                continue
            exact = Decimal(repr(bound)) if isinstance(bound, float) else Decimal(bound)
            if column.type == "decimal" and self.decimal_as_text:
                precision, scale = _digits(column)
                if precision <= _EXACT_INTEGER_DIGITS:
                    # Exact: the canonical text without its point is the amount in minor
                    # units (a CHECK keeps exactly `scale` digits after the point).
                    minor = exact.scaleb(scale)
                    rounded = math.ceil(minor) if op == ">=" else math.floor(minor)
                    parts.append(f"CAST(replace({col}, '.', '') AS INTEGER) {op} {rounded}")
                    continue
                parts.append(f"CAST({col} AS REAL) {op} {format(exact, 'f')}")
                continue
            parts.append(f"{col} {op} {format(exact, 'f')}")
        return " AND ".join(parts)

    def length_check(self, column: Column) -> str | None:
        """The CHECK condition of a column's min_length, or None."""
        if not column.min_length:
            return None
        return f"{self.char_length}({self.q(column.name)}) >= {column.min_length}"

    def active_marker_definition(self, name: str) -> str:
        """The generated column of `active_marker`, as a line of CREATE TABLE."""
        return f"    {self.q(name)} {self.active_marker.format(deleted=self.q('deleted_at'))}"

    def text_columns(self, columns: Iterable[Column]) -> frozenset[str]:
        """String columns written as TEXT because a VARCHAR of their length would not fit.

        Why: MySQL refuses a VARCHAR over max_varchar characters, and a table whose
        VARCHARs need more than max_row_bytes together; TEXT is stored apart from the row.
        Columns keep VARCHAR in order until the row is full."""
        if self.max_row_bytes is None:
            return frozenset()
        columns = list(columns)
        strings = [c for c in columns if c.type in _VARCHARS]
        used = sum(_row_bytes(c) for c in columns if c.type not in _VARCHARS)
        budget = self.max_row_bytes - _ROW_OVERHEAD
        demoted = set()
        for c in strings:
            size = _row_bytes(c)
            if (self.max_varchar and (c.max_length or 255) > self.max_varchar) or (
                used + size > budget
            ):
                demoted.add(c.name)
                used += _TEXT_IN_ROW
            else:
                used += size
        return frozenset(demoted)

    def index_column(self, column: Column, prefix: int | None = None) -> str:
        if column.type == "email" and self.email_fold:
            return self.email_fold.format(col=self.q(column.name))
        if prefix is not None:
            return f"{self.q(column.name)}({prefix})"
        if column.type in ("text", "json") and self.text_index_prefix:
            return f"{self.q(column.name)}({self.text_index_prefix})"
        return self.q(column.name)

    def index_columns(
        self,
        columns: Iterable[Column],
        text_columns: frozenset[str] = frozenset(),
        unique: bool = False,
    ) -> str:
        """The key of an index. Where keys have a byte limit, text columns (and long
        strings of a plain index) are indexed by an equal prefix that fits the limit;
        a unique key keeps whole VARCHARs (MariaDB enforces long ones by a hash)."""
        columns = list(columns)
        if self.max_key_bytes is None:
            return ", ".join(self.index_column(c) for c in columns)

        def textual(c: Column) -> bool:
            return c.type in ("text", "json") or c.name in text_columns

        fixed = [c for c in columns if not textual(c) and (unique or c.type not in _VARCHARS)]
        shared = [c for c in columns if c not in fixed]
        room = self.max_key_bytes - sum(_row_bytes(c) for c in fixed)
        share = max(1, room // (_BYTES_PER_CHAR * len(shared))) if shared else 0
        parts = []
        for c in columns:
            if c in fixed:
                parts.append(self.index_column(c))
                continue
            limit = min(share, self.text_index_prefix or share)
            whole = not textual(c) and (c.max_length or 255) <= limit
            parts.append(self.index_column(c, None if whole else limit))
        return ", ".join(parts)

    def inline_comment(self, text: str) -> str:
        """` COMMENT '...'` for dialects that keep comments in the definition."""
        if self.comment_style != "inline" or not text:
            return ""
        return f" COMMENT {self.text(text[: self.max_comment])}"

    def comment(self, text: str, indent: str = "") -> str:
        """`--` comment lines in every dialect; spec text inside cannot end the comment."""
        return "\n".join(comment_lines(text, indent))

    def line_comments(self, text: str, indent: str = "") -> list[str]:
        """`--` lines for dialects without a comment catalogue (SQLite)."""
        return comment_lines(text, indent) if self.comment_style == "line" else []

    def statement_comment(self, text: str) -> str | None:
        """The literal for COMMENT ON (PostgreSQL), or None."""
        if self.comment_style != "statement" or not text:
            return None
        return self.text(text)


_VARCHARS = frozenset({"string", "email", "url"})
_BYTES_PER_CHAR = 4  # utf8mb4
_TEXT_IN_ROW = 12  # a TEXT column's pointer in the row
_ROW_OVERHEAD = 1024  # length bytes, the NULL bitmap and headroom
_FIXED_BYTES = {
    "uuid": 36 * _BYTES_PER_CHAR,
    "integer": 4,
    "bigint": 8,
    "decimal": 30,
    "float": 8,
    "boolean": 1,
    "date": 3,
    "datetime": 8,
    "enum": 2,
}


_EXACT_INTEGER_DIGITS = 18  # every 18-digit number fits SQLite's 64-bit INTEGER


def _digits(column: Column) -> tuple[int, int]:
    return column.precision or 12, column.scale if column.scale is not None else 2


def _canonical_decimal_check(col: str, precision: int, scale: int) -> str:
    """SQLite: the value is text of the canonical decimal of (precision, scale): an
    optional minus, no leading zeros, exactly `scale` digits after the point, at most
    `precision` digits, and no negative zero. One spelling per number, so equality and
    the minor-units arithmetic of `range_check` are exact; a float is refused, not rounded."""
    body = f"substr({col}, 1 + ({col} GLOB '-*'))"  # without the sign
    whole = max(1, precision - scale)
    if scale:
        shape = f"{body} GLOB '[0-9]*.{'[0-9]' * scale}' AND {body} NOT GLOB '*[^0-9.]*' AND {body} NOT GLOB '*.*.*'"
        zero = "0." + "0" * scale
    else:
        shape = f"{body} GLOB '[0-9]*' AND {body} NOT GLOB '*[^0-9]*'"
        zero = "0"
    return (
        f"{col} IS NULL OR (typeof({col}) = 'text' AND {shape} AND {body} NOT GLOB '0[0-9]*'"
        f" AND length({body}) <= {whole + (scale + 1 if scale else 0)} AND {col} <> '-{zero}')"
    )


def _row_bytes(column: Column) -> int:
    """Bytes a column takes in a MySQL row (utf8mb4), at most."""
    if column.type in _VARCHARS:
        return (column.max_length or 255) * _BYTES_PER_CHAR + 2
    return _FIXED_BYTES.get(column.type, _TEXT_IN_ROW)


def _preparer(dialect: Dialect) -> IdentifierPreparer:
    return _PREPARERS[dialect.name]


_TEXTUAL = {"text": "TEXT", "date": "DATE"}

POSTGRESQL = Dialect(
    name="postgresql",
    types={
        **_TEXTUAL,
        "string": "VARCHAR({length})",
        "email": "VARCHAR({length})",
        "url": "VARCHAR({length})",
        "integer": "INTEGER",
        "bigint": "BIGINT",
        "decimal": "NUMERIC({precision}, {scale})",
        "float": "DOUBLE PRECISION",
        "boolean": "BOOLEAN",
        "datetime": "TIMESTAMPTZ",
        "uuid": "UUID",
        "json": "JSONB",
        "enum": "VARCHAR({enum_length})",
    },
    uuid_default="gen_random_uuid()",  # core since PostgreSQL 13, no extension needed
    # BY DEFAULT, not ALWAYS: imports and restores may keep their ids.
    identity=" GENERATED BY DEFAULT AS IDENTITY",
    now="now()",
    booleans=("FALSE", "TRUE"),
    comment_style="statement",
    search_column="search_vector TSVECTOR",
    # Why lower() and not citext: no extension to install (managed servers restrict
    # them), and the column keeps the address as typed.
    email_fold="lower({col})",
    notes={
        "email": "E-mail uniqueness ignores case: unique indexes are on lower(email), so "
        "look addresses up with lower(email) = lower($1) to use them.",
    },
)

# A random v4 UUID in SQLite's own SQL: 16 random bytes, version nibble 4, variant 8-b.
_SQLITE_UUID = (
    "(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))"
)

SQLITE = Dialect(
    name="sqlite",
    types={
        **_TEXTUAL,
        "string": "VARCHAR({length})",
        # NOCASE folds ASCII letters, which is what e-mail addresses compare by in practice.
        "email": "VARCHAR({length}) COLLATE NOCASE",
        "url": "VARCHAR({length})",
        "integer": "INTEGER",
        "bigint": "BIGINT",
        "decimal": "TEXT",
        "float": "REAL",
        "boolean": "BOOLEAN",
        "datetime": "TEXT",
        "uuid": "TEXT",
        "json": "TEXT",
        "enum": "TEXT",
    },
    uuid_default=_SQLITE_UUID,
    identity="",  # the rowid alias counts by itself
    identity_type="INTEGER",
    # ISO 8601 with milliseconds: sortable as text and finer than CURRENT_TIMESTAMP's seconds.
    now="(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
    booleans=("0", "1"),
    comment_style="line",
    alter_add_foreign_key=False,
    # The date in UTC as text, like `now` above: CURRENT_DATE has the same form.
    today="(date('now'))",
    checks={"boolean": "{col} IN (0, 1)", "json": "{col} IS NULL OR json_valid({col})"},
    decimal_as_text=True,
    char_length="length",
    notes={
        "decimal": "Decimal columns are TEXT holding the exact canonical decimal ('89.90': "
        "exactly the scale's digits after the point, no leading zeros), kept by a CHECK; "
        "SQLite's NUMERIC would store 0.1 as a float. Test equality with =; add, order "
        "and compare sizes exactly in minor units: SUM(CAST(replace(price, '.', '') AS INTEGER)).",
        "email": "E-mail columns are COLLATE NOCASE: uniqueness and = ignore ASCII case.",
    },
)

MYSQL = Dialect(
    name="mysql",
    types={
        **_TEXTUAL,
        "string": "VARCHAR({length})",
        "email": "VARCHAR({length})",
        "url": "VARCHAR({length})",
        "integer": "INT",
        "bigint": "BIGINT",
        "decimal": "DECIMAL({precision}, {scale})",
        "float": "DOUBLE",
        "boolean": "BOOLEAN",
        "datetime": "DATETIME(6)",
        "uuid": "CHAR(36)",
        "json": "JSON",
        "enum": "ENUM({values})",
    },
    # Expression defaults: MySQL 8.0.13+ and MariaDB 10.2+; both accept the parentheses.
    uuid_default="(UUID())",
    identity=" AUTO_INCREMENT",
    now="CURRENT_TIMESTAMP(6)",
    booleans=("FALSE", "TRUE"),
    comment_style="inline",
    backslash_escapes=True,
    partial_indexes=False,
    transactional_ddl=False,  # every CREATE commits implicitly
    native_enum=True,
    on_update_now=" ON UPDATE CURRENT_TIMESTAMP(6)",
    today="(CURRENT_DATE)",  # MySQL 8 takes a date default only as an expression
    naive_datetimes=True,
    max_varchar=16_383,
    max_row_bytes=65_535,
    max_key_bytes=3_072,
    text_index_prefix=255,
    text_default_parens=True,
    max_comment=1024,  # column comments; table comments allow 2048
    table_options=" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
    active_marker="TINYINT GENERATED ALWAYS AS (IF({deleted} IS NULL, 1, NULL)) STORED",
    notes={
        "email": "E-mail uniqueness ignores case: every table uses the case-insensitive "
        "collation utf8mb4_unicode_ci.",
        "soft-delete": "Soft-deleted rows free their unique values: MySQL has no partial "
        "indexes, so such unique keys end in the generated column active_row (1 while the "
        "row is active, NULL after), and NULLs never collide.",
    },
    # Quote words reserved in MariaDB too, so one file runs on both servers.
    extra_reserved=frozenset(w.lower() for w in RESERVED_WORDS_MARIADB | RESERVED_WORDS_MYSQL),
)

BY_NAME = {d.name: d for d in (POSTGRESQL, SQLITE, MYSQL)}
_PREPARERS = {d.name: d.preparer_dialect().identifier_preparer for d in BY_NAME.values()}
