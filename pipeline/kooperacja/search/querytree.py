"""A small engine-neutral query tree: what the ranking asks for, before any engine sees it.

`ranking.py` builds these from a parsed query; `engine.py` translates them for tantivy (an
OpenSearch engine would translate the same tree into its query DSL, see docs/scale-out.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    field: str
    value: str
    boost: float = 1.0


@dataclass(frozen=True)
class TermSet:
    """Any of the values, unscored (a filter)."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Phrase:
    """Terms at consecutive positions (each position any of its alternatives), within `slop`."""

    field: str
    positions: tuple[tuple[str, ...], ...]
    slop: int = 0
    boost: float = 1.0


@dataclass(frozen=True)
class YearRange:
    start: int | None
    end: int | None


@dataclass(frozen=True)
class Const:
    """Matches what `query` matches, with a fixed score."""

    query: Node
    score: float


@dataclass(frozen=True)
class Bool:
    must: tuple[Node, ...] = ()
    should: tuple[Node, ...] = ()
    must_not: tuple[Node, ...] = ()
    boost: float = 1.0


@dataclass(frozen=True)
class Everything:
    pass


@dataclass(frozen=True)
class Nothing:
    pass


Node = Term | TermSet | Phrase | YearRange | Const | Bool | Everything | Nothing


def any_of(nodes: list[Node] | tuple[Node, ...]) -> Node:
    nodes = [n for n in nodes if not isinstance(n, Nothing)]
    if not nodes:
        return Nothing()
    return nodes[0] if len(nodes) == 1 else Bool(should=tuple(nodes))


def all_of(nodes: list[Node] | tuple[Node, ...]) -> Node:
    if any(isinstance(n, Nothing) for n in nodes) or not nodes:
        return Nothing()
    return nodes[0] if len(nodes) == 1 else Bool(must=tuple(nodes))


def matching(node: Node) -> Node:
    """The same matches without what only adds to the score: a Bool's should-clauses beside its
    must-clauses (the nearness bonus, optional words). Counting documents needs no more."""
    if isinstance(node, Bool) and node.must and node.should:
        return Bool(must=node.must, must_not=node.must_not)
    return node
