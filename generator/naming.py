"""Derived names: tables, JSON properties, path parameters, operation ids.

Why one module: every emitter must derive `order_items`, `orderItemId` and
`listOrderItems` the same way, or the contract and the schema drift apart.
"""

from __future__ import annotations

import re
from functools import cache

import inflection


def snake(name: str) -> str:
    """OrderItem -> order_item; order-items -> order_items."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return re.sub(r"[-\s]+", "_", text).lower()


def camel(name: str) -> str:
    """order_items / order-items -> orderItems."""
    head, *rest = re.split(r"[_\-\s]+", name)
    return head[:1].lower() + head[1:] + "".join(p[:1].upper() + p[1:] for p in rest)


def pascal(name: str) -> str:
    value = camel(name)
    return value[:1].upper() + value[1:]


def kebab(name: str) -> str:
    return snake(name).replace("_", "-")


@cache
def plural(word: str) -> str:
    """Pluralise the last word of a snake_case name: order_item -> order_items."""
    head, _, last = word.rpartition("_")
    result = last if is_plural(last) else inflection.pluralize(last)
    return f"{head}_{result}" if head else result


@cache
def singular(word: str) -> str:
    """Singularise the last word of a snake/kebab name: order-items -> order-item."""
    separator = "-" if "-" in word else "_"
    head, _, last = word.rpartition(separator)
    result = inflection.singularize(last)
    return f"{head}{separator}{result}" if head else result


def is_plural(word: str) -> bool:
    last = re.split(r"[-_]", word)[-1]
    return inflection.pluralize(last) == last or inflection.singularize(last) != last


def table_name(entity: str) -> str:
    return plural(snake(entity))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:63].strip("-")
