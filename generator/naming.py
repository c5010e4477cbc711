"""Derived names: tables, JSON properties, path parameters, operation ids.

Why one module: every emitter must derive `order_items`, `orderItemId` and
`listOrderItems` the same way, or the contract and the schema drift apart.
"""

from __future__ import annotations

import re
from functools import cache

import inflection

_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_DASHES = re.compile(r"[-\s]+")
_SEPARATORS = re.compile(r"[_\-\s]+")


@cache  # names are derived again by every emitter; each spelling is computed once
def snake(name: str) -> str:
    """OrderItem -> order_item; order-items -> order_items."""
    return _DASHES.sub("_", _WORD_START.sub("_", name)).lower()


@cache
def camel(name: str) -> str:
    """order_items / order-items -> orderItems."""
    head, *rest = _SEPARATORS.split(name)
    return head[:1].lower() + head[1:] + "".join(p[:1].upper() + p[1:] for p in rest)


def pascal(name: str) -> str:
    value = camel(name)
    return value[:1].upper() + value[1:]


def kebab(name: str) -> str:
    return snake(name).replace("_", "-")


def plural(word: str) -> str:
    """Pluralise the last word of a snake_case name: order_item -> order_items."""
    head, _, last = word.rpartition("_")
    result = last if is_plural(last) else _pluralize(last)
    return f"{head}_{result}" if head else result


def singular(word: str) -> str:
    """Singularise the last word of a snake/kebab name: order-items -> order-item."""
    separator = "-" if "-" in word else "_"
    head, _, last = word.rpartition(separator)
    result = _singularize(last)
    return f"{head}{separator}{result}" if head else result


def is_plural(word: str) -> bool:
    last = re.split(r"[-_]", word)[-1]
    return _pluralize(last) == last or _singularize(last) != last


# Why cached per word: inflection tries some 30 patterns per call, and one name reaches
# it in several spellings (order_items, order-items, OrderItem).
@cache
def _pluralize(word: str) -> str:
    return str(inflection.pluralize(word))


@cache
def _singularize(word: str) -> str:
    return str(inflection.singularize(word))


def table_name(entity: str) -> str:
    return plural(snake(entity))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:63].strip("-")
