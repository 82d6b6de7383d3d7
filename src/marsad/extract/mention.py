"""A casualty mention: one figure of one clause, before it becomes part of a record."""

from __future__ import annotations

from dataclasses import dataclass, field

from marsad.extract.layout import Clause
from marsad.model import Count


@dataclass
class Sub:
    group: str
    nationality: str | None
    count: Count | None  # None: named among the dead without a figure ("من بينهم إيرانيون")
    start: int
    end: int


@dataclass
class Mention:
    kind: str  # killed | wounded | combined
    count: Count
    start: int  # folded span of the statement (cue .. noun)
    end: int
    clause: Clause
    group: str = "unknown"
    nationality: str | None = None
    owner_span: tuple[int, int] | None = None
    subsets: list[Sub] = field(default_factory=list)
    coordinated: list[Mention] = field(default_factory=list)
    fuzzy: bool = False
    toll: bool = False  # a rising toll ("ارتفعت حصيلة … إلى", "ارتفع إلى 15")
    superseded: bool = False  # "وفق حصيلة سابقة"
    generic: bool = False  # the group was guessed from a generic noun ("أشخاص" -> civilians)
    unnamed: bool = False  # no word says who the dead were ("80 قتيلا", "مقتل العشرات")
    how: str = "noun"  # which pattern made the figure a casualty count (a feature of the decision model)
    # Reasons the grammar doubts the figure is news (accident, negated, background, …): features, not drops.
    flags: set[str] = field(default_factory=set)
