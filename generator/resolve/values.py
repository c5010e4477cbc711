"""Cross-field checks of the resolver: values that pass the schema but no consumer accepts.

Why a module of its own: each check here closes a gap where `check` passed and a later
stage failed (an OpenAPI validator, a real database, the file system). A rule of the
form "this value fits this column" is needed for defaults and partial-index conditions
alike, so it lives once, as data about the field types, not inside the resolver class.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from generator.model import ScalarValue
from generator.spec import FieldType

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
# Why a bound at all: a requirement of 10^15 requests per second (or milliseconds, or
# users) describes no system, and products of two values near the double-precision
# limit overflow to infinity in the capacity arithmetic.
MAX_QUANTITY = 1e15

# Defaults that mean "when the row is written", per field type. Any other text must be
# a value of the type; these become the dialect's current-time expression.
CURRENT_TIME = {"datetime": "now", "date": "today"}

# Windows refuses these as file or folder names whatever the extension or case; the
# site's own top-level folders (MkDocs Material's assets/, the search plugin's search/,
# and site/ next to every system's folder in the output) would be overwritten.
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(10)}
)
SITE_FOLDERS = frozenset({"site", "assets", "search"})

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:[Zz]|[+-]\d{2}:\d{2})$"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
# An absolute URI (RFC 3986): a scheme, then printable ASCII without the characters
# RFC 3986 never allows unescaped.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[!#-;=?-\[\]_a-z~]+$")
_DECIMAL_TEXT = re.compile(r"^-?\d+(?:\.\d+)?$")
_INTEGERS = {"integer": INT32, "bigint": INT64}


def slug_problem(slug: str) -> str | None:
    """Why `slug` cannot name a system's folder, or None."""
    if slug in WINDOWS_DEVICES:
        return f"{slug!r} is a device name on Windows, where no file or folder may be called that"
    if slug in SITE_FOLDERS:
        return (
            f"the website keeps its own files in {slug}/, which this system's pages would overwrite"
        )
    return None


def quantity_problem(value: float) -> str | None:
    if not math.isfinite(value):
        return "is not a finite number"
    if abs(value) > MAX_QUANTITY:
        return f"is over {MAX_QUANTITY:.0e}, larger than any real requirement"
    return None


def decimal_text(value: ScalarValue) -> str | None:
    """A decimal value as plain digits ('12.5', '-3'), or None when it is not a number.

    Why canonical: OpenAPI carries decimals as strings matched by a digits pattern, so
    1e-05 or 2.50000 must travel as 0.00001 and 2.5, and SQL gets the same digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        text = repr(value)
    elif isinstance(value, int):
        return str(value)
    else:
        text = value
        if not _DECIMAL_TEXT.match(text):
            return None
    try:
        fixed = format(Decimal(text), "f")
    except InvalidOperation:
        return None
    if "." in fixed:
        fixed = fixed.rstrip("0").rstrip(".")
    return "0" if fixed in ("-0", "") else fixed


def value_problem(
    field_type: FieldType,
    value: ScalarValue,
    *,
    values: tuple[str, ...] = (),
    max_length: int | None = None,
    precision: int | None = None,
    scale: int | None = None,
) -> str | None:
    """Why `value` is not a value of the field type, or None when every consumer takes it.

    Messages complete "default/value X ..."."""
    if field_type in _INTEGERS:
        low, high = _INTEGERS[field_type]
        if isinstance(value, bool) or not isinstance(value, int):
            return f"is not a whole number ({field_type})"
        if not low <= value <= high:
            bits = 32 if field_type == "integer" else 64
            return f"is outside the {bits}-bit range of {field_type} ({low:,} to {high:,})"
        return None
    if field_type == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "is not a number"
        return None if math.isfinite(value) else "is not a finite number (JSON has no infinity)"
    if field_type == "decimal":
        return _decimal_problem(value, precision or 12, scale if scale is not None else 2)
    if field_type == "boolean":
        return None if isinstance(value, bool) else "is not true or false"
    if field_type == "json":
        return "cannot be given for a json field"
    if not isinstance(value, str):
        return f"is not text ({field_type} values are written as strings)"
    return _text_problem(field_type, value, values, max_length)


def _text_problem(
    field_type: FieldType, value: str, values: tuple[str, ...], max_length: int | None
) -> str | None:
    if field_type == "enum" and values and value not in values:
        return "is not one of the enum values"
    if max_length is not None and len(value) > max_length:
        return f"is longer than max_length {max_length}"
    if field_type == "uuid" and not _UUID.match(value):
        return "is not a UUID like '123e4567-e89b-12d3-a456-426614174000'"
    if field_type == "date" and not _valid_date(value):
        return "is not a date like '2024-01-31' in the years 1000 to 9999"
    if field_type == "datetime" and not _valid_datetime(value):
        return "is not a date-time with an offset like '2024-01-31T09:30:00Z' in the years 1000 to 9999"
    if field_type == "email" and not _EMAIL.match(value):
        return "is not an e-mail address like 'name@example.com'"
    if field_type == "url" and not _URL.match(value):
        return "is not an absolute URL like 'https://example.com/'"
    return None


def _decimal_problem(value: ScalarValue, precision: int, scale: int) -> str | None:
    text = decimal_text(value)
    if text is None:
        return "is not a decimal number like '12.50'"
    whole, _, fraction = text.lstrip("-").partition(".")
    if len(fraction) > scale:
        return f"has more than {scale} digits after the point (scale {scale})"
    room = precision - scale
    if (len(whole) > room and whole != "0") or (room == 0 and whole != "0"):
        return (
            f"has more than {room} digits before the point (precision {precision}, scale {scale})"
        )
    return None


# Why years from 1000: MySQL's DATE and DATETIME ranges start there; one spec serves
# every dialect.
def _valid_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    try:
        return date.fromisoformat(text).year >= 1000
    except ValueError:
        return False


def _valid_datetime(text: str) -> bool:
    if not _DATETIME.match(text):
        return False
    moment = parse_datetime(text)
    return moment is not None and 1000 <= moment.astimezone(UTC).year <= 9999


def parse_datetime(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.upper())
        moment.astimezone(UTC)  # an offset may carry it past year 9999
    except (ValueError, OverflowError):
        return None
    return moment if moment.utcoffset() is not None else None


def duplicates(names: list[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for name in names:
        if name in seen and name not in repeated:
            repeated.append(name)
        seen.add(name)
    return repeated
