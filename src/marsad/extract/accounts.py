"""Several sources' figures for one event told in sentences of their own are one record.

"قتل 70 شخصا في هجوم على دوما … وقال المرصد إن نحو 75 قتلوا في الهجوم. وتحدثت مصادر طبية عن
أكثر من 150 قتيلا": a sentence that only gives a source's figure (no place, no date, no new event of
its own) is another account of the incident told just before it. Its statement joins that incident
as an alternative: the first figure stays `best`, the others widen `low`/`high` (assemble.reconcile).
The same-sentence case ("بينما يقول المرصد …") is assemble's `alternative`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from marsad.extract.assemble import Draft, Statement, central, total
from marsad.extract.layout import Layout, clause_dates
from marsad.extract.lexicon import Matcher
from marsad.extract.places import clause_places
from marsad.lang import load

_REACH = 2  # sentences after the incident's last statement


def join_accounts(lay: Layout, drafts: list[Draft], resolver) -> list[Draft]:
    """`drafts` with each draft that is only another source's account of an earlier incident
    folded into that incident."""
    out: list[Draft] = []
    for d in drafts:
        home = _home(lay, d, out, resolver)
        if home is None:
            out.append(d)
            continue
        for st in d.statements:
            st.alternative = True
        home.statements.extend(d.statements)
    return out


def _home(lay: Layout, d: Draft, earlier: list[Draft], resolver) -> Draft | None:
    if d.kind != "incident" or d.flags or len(d.statements) != 1:
        return None
    st = d.statements[0]
    m = st.main
    if m.kind != "killed" or m.clause.title or central(total(m)) is None:
        return None
    for prev in reversed(earlier):
        body = [s for s in prev.statements if not s.main.clause.title and s.main.kind == "killed"]
        if prev.kind != "incident" or prev.flags or not body:
            continue
        last = body[-1]
        gap = m.clause.sentence - last.main.clause.sentence
        if not 0 < gap <= _REACH:
            return None
        return prev if _same_toll(last, st) and _bare_account(lay, m.clause.sentence, resolver) else None
    return None


def _same_toll(a: Statement, b: Statement) -> bool:
    ga, gb = a.main.group, b.main.group
    if not (ga == gb or "unknown" in (ga, gb)):
        return False
    va, vb = central(total(a.main)), central(total(b.main))
    if va is None or vb is None or va == vb:
        return False  # an equal figure is assemble's merge
    return max(va, vb) <= _words().max_ratio * min(va, vb)


def _bare_account(lay: Layout, sentence: int, resolver) -> bool:
    """The sentence names a source, and no place, date or new event of its own."""
    clauses = lay.sentence_clauses(sentence)
    start, end = clauses[0].start, clauses[-1].end
    words = _words()
    if not any(True for _ in words.sources.finditer(lay.text, start, end)):
        return False
    if any(True for _ in words.new_event.finditer(lay.text, start, end)):
        return False
    # A country alone is no place of its own ("وقالت الجمعية الطبية السورية الأمريكية إن 180 …").
    return not any(
        clause_dates(lay, c) or any(p.location.admin1 for p in clause_places(lay, c, resolver)) for c in clauses
    )


@dataclass(frozen=True)
class _Words:
    sources: Matcher[str]
    new_event: Matcher[str]
    max_ratio: float


@cache
def _words() -> _Words:
    data = load("ar", "accounts")
    return _Words(
        sources=Matcher((f, f) for f in data["sources"]),
        new_event=Matcher(((f, f) for f in data["new_event"]), article=True),
        max_ratio=float(data["max_ratio"]),
    )
