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


@cache  # resolving asks for each resource's singular at every operation
def singular(word: str) -> str:
    """Singularise the last word of a snake/kebab name: order-items -> order-item."""
    separator = "-" if "-" in word else "_"
    head, _, last = word.rpartition(separator)
    result = _singularize(last)
    return f"{head}{separator}{result}" if head else result


def is_plural(word: str) -> bool:
    last = re.split(r"[-_]", word)[-1]
    return _pluralize(last) == last or _singularize(last) != last


# inflection's own rules, compiled once. Why not call inflection.pluralize/singularize:
# they pass every rule to re.search as a string (a cache lookup per rule) and build one
# pattern per uncountable word on every call, 5x the time at a thousand entity names.
# The first matching rule wins, as in inflection; a test checks both agree on any word.
_PLURALS = [(re.compile(rule), replacement) for rule, replacement in inflection.PLURALS]
_SINGULARS = [(re.compile(rule), replacement) for rule, replacement in inflection.SINGULARS]
_UNCOUNTABLE = frozenset(inflection.UNCOUNTABLES)
_ENDS_UNCOUNTABLE = re.compile(rf"(?i)\b({'|'.join(sorted(_UNCOUNTABLE))})\Z")


# Why cached per word: one name reaches the rules in several spellings (order_items,
# order-items, OrderItem).
@cache
def _pluralize(word: str) -> str:
    if not word or word.lower() in _UNCOUNTABLE:
        return word
    return _first_rule(_PLURALS, word)


@cache
def _singularize(word: str) -> str:
    if _ENDS_UNCOUNTABLE.search(word):
        return word
    return _first_rule(_SINGULARS, word)


def _first_rule(rules: list[tuple[re.Pattern[str], str]], word: str) -> str:
    for pattern, replacement in rules:
        if pattern.search(word):
            return pattern.sub(replacement, word)
    return word


def table_name(entity: str) -> str:
    return plural(snake(entity))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:63].strip("-")
