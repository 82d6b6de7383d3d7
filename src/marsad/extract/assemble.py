"""Casualty mentions -> records: one record per distinct event or tally.

Statements: a killed (or killed-or-wounded) figure, with the wounded figure of the same
sentence and the subsets and coordinated parts of it. Statements are the same record when they
give the same figure, when one updates the other's toll ("ارتفعت حصيلة … إلى"), or when the
headline tells what the body tells first (the body's exact figure wins; a differing headline
figure widens low/high). Tallies merge only with tallies, incidents only with incidents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from marsad.extract.candidates import Mention
from marsad.extract.cues import Lexicons
from marsad.extract.layout import Clause, Layout
from marsad.extract.tallies import is_tally
from marsad.model import Count


@dataclass
class Statement:
    main: Mention
    kind: str  # incident | tally
    wounded: list[Mention] = field(default_factory=list)
    toll_update: bool = False
    alternative: bool = False  # another source's figure for the statement before it


@dataclass
class Draft:
    kind: str
    statements: list[Statement]
    # The grammar's doubts about this draft, for the decision model (see extract/decide.py).
    flags: set[str] = field(default_factory=set)

    @property
    def primary(self) -> Statement:
        body = [s for s in self.statements if not s.main.clause.title]
        return body[0] if body else self.statements[0]

    @property
    def title_only(self) -> bool:
        return all(s.main.clause.title for s in self.statements)


def statements(lay: Layout, mentions: list[Mention], lex: Lexicons) -> list[Statement]:
    out: list[Statement] = []
    for m in mentions:
        if m.kind == "wounded":
            last = out[-1] if out else None
            if last and last.main.clause.sentence == m.clause.sentence:
                last.wounded.append(m)
            elif _attack_wounded(lay, m, lex):
                # "أصيب 5 مدنيين بقصف": an incident with killed null (SCHEMA: unstated is null, not 0).
                out.append(Statement(m, "incident"))
            continue
        c = m.clause
        kind = "tally" if is_tally(lay, c, lex, m.start, m.end, central(total(m))) else "incident"
        if m.how == "counterpart" and kind == "incident":
            # One clash's dead on both sides add up; each side's period total stays a tally of its own.
            if out and out[-1].main.clause.sentence == c.sentence and out[-1].kind == "incident":
                out[-1].main.coordinated.append(m)
            continue
        # The cue may open the mention itself ("مما يرفع حصيلة القتلى إلى 27").
        update = m.toll or any(True for _ in lex.toll_update.finditer(lay.text, c.start, m.end))
        alternative = bool(out) and (
            (out[-1].main.clause.sentence == c.sentence and _alternative(lay, out[-1], m, lex))
            or any(True for _ in lex.alternative_figure.finditer(lay.text, c.start, m.start))
        )
        # Another source's figure ("بينما قال الدفاع المدني إن الحصيلة بلغت 75") widens the range; it
        # does not replace the first figure as a later toll would.
        toll = update and kind == "incident" and not alternative
        out.append(Statement(m, kind, toll_update=toll, alternative=alternative))
    # A wounded figure near a death toll (or under a headline with one) is most likely that event's.
    near_dead = [s.main.clause for s in out if s.main.kind != "wounded"]
    return [
        s
        for s in out
        if s.main.kind != "wounded"
        or not any(c.title or abs(c.sentence - s.main.clause.sentence) <= 2 for c in near_dead)
    ]


def _attack_wounded(lay: Layout, m: Mention, lex: Lexicons) -> bool:
    """A wounded figure with an attack cue in its clause and no period cue (not a sports injury)."""
    c = m.clause
    if is_tally(lay, c, lex, m.start, m.end, central(total(m))):
        return False
    return any(True for _ in lex.events.finditer(lay.text, c.start, c.end))


def _alternative(lay: Layout, prev: Statement, m: Mention, lex: Lexicons) -> bool:
    """ "بمقتل 77 مدنيا، بينما يقول المرصد إن الحصيلة كانت 50": a second source between the two."""
    between = (prev.main.end, m.start)
    return prev.main.kind == m.kind and any(True for _ in lex.alternative.finditer(lay.text, *between))


def merge(stmts: list[Statement]) -> list[Draft]:
    drafts: list[Draft] = []
    for st in stmts:
        if st.alternative and drafts and drafts[-1].kind == st.kind:
            drafts[-1].statements.append(st)
            continue
        target = _merge_target(st, drafts)
        if target is None:
            drafts.append(Draft(st.kind, [st]))
        else:
            target.statements.append(st)
    drafts = _fold_into_tallies(drafts)
    for d in drafts:
        d.flags |= {flag for s in d.statements for flag in s.main.flags}
        if any(s.main.superseded for s in d.statements):
            d.flags.add("superseded")
    _flag_vague(drafts)
    return drafts


def _fold_into_tallies(drafts: list[Draft]) -> list[Draft]:
    """An incident figure equal to a tally's figure in the same report is that tally, told twice."""
    tallies = [d for d in drafts if d.kind == "tally"]
    out = []
    for d in drafts:
        if d.kind == "incident":
            values = {
                central(total(s.main))
                for s in d.statements
                if s.main.count.best is not None and s.main.kind != "wounded"
            }
            home = next((t for t in tallies if values & {central(total(s.main)) for s in t.statements}), None)
            if home is not None:
                home.statements.extend(d.statements)
                continue
        out.append(d)
    return out


def _flag_vague(drafts: list[Draft]) -> None:
    """ "عشرات القتلى" beside a definite incident figure of the same report is most likely its echo."""

    def vague(d: Draft) -> bool:
        return all(s.main.count.best is None for s in d.statements)

    definite = any(d.kind == "incident" and not vague(d) and not d.flags for d in drafts)
    for d in drafts:
        if definite and d.kind == "incident" and vague(d):
            d.flags.add("vague_beside_definite")


def _merge_target(st: Statement, drafts: list[Draft]) -> Draft | None:
    same_kind = [d for d in drafts if d.kind == st.kind]
    if not same_kind:
        return None
    if st.toll_update:
        return same_kind[-1]
    value = central(total(st.main))
    for d in same_kind:
        if value is not None and any(central(total(s.main)) == value and _compatible(s, st) for s in d.statements):
            return d
    # The headline tells what the body tells first: only the first body statement of a kind.
    first_body = not any(not s.main.clause.title for d in same_kind for s in d.statements)
    if not st.main.clause.title and first_body:
        for d in same_kind:
            if (
                d.title_only
                and _compatible(d.statements[0], st)
                and _close(total(d.statements[0].main), total(st.main))
            ):
                return d
    return None


def total(m: Mention) -> Count:
    """A statement's whole figure: its coordinated parts added up."""
    return sum_counts([m.count] + [p.count for p in m.coordinated]) if m.coordinated else m.count


def central(c: Count) -> int | None:
    """The figure to compare: best, else low."""
    return c.best if c.best is not None else c.low


def _compatible(a: Statement, b: Statement) -> bool:
    ga, gb = a.main.group, b.main.group
    return a.main.kind == b.main.kind and (ga == gb or "unknown" in (ga, gb))


def _close(a: Count, b: Count) -> bool:
    if a.best is None and a.high is not None:  # a vague headline ("عشرات القتلى") and a body figure
        vb = central(b)
        return vb is None or (a.low or 0) <= vb <= a.high
    va, vb = central(a), central(b)
    if va is None or vb is None:
        return True
    return max(va, vb) <= 2 * min(va, vb)


def reconcile(counts: list[Count]) -> Count | None:
    """One Count from several figures for the same thing: the first exact one is best, the spread
    of the others gives low/high (headline "نحو 1365" + body 1362 -> 1362/1362/1365)."""
    counts = [c for c in counts if c is not None]
    if not counts:
        return None
    if len(counts) == 1:
        c = counts[0]
        return Count(c.low, c.best, c.high)
    definite = [c for c in counts if c.best is not None]
    if not definite:
        lows = [c.low for c in counts if c.low is not None]
        highs = [c.high for c in counts if c.high is not None]
        return Count(min(lows) if lows else None, None, max(highs) if highs else None)
    exact = [c for c in definite if c.low == c.best]
    best = (exact or definite)[0].best
    assert best is not None
    bests = {c.best for c in definite}
    lows = [c.low for c in definite if c.low is not None]
    low = min(lows + list(bests)) if lows else (min(bests) if len(bests) > 1 else None)
    # A vague figure ("عشرات") says nothing more once a definite one is known.
    highs = [c.high for c in definite if c.high is not None] + list(bests)
    high = max(highs)
    return Count(low, best, high if high > best else None)


def sum_counts(counts: list[Count]) -> Count:
    """Parts of one statement ("6 جنود و4 مدنيين") add up; an unknown bound stays unknown."""

    def add(attr: str) -> int | None:
        vals = [getattr(c, attr) for c in counts]
        return None if any(v is None for v in vals) else sum(vals)

    return Count(add("low"), add("best"), add("high"))


def search_order(lay: Layout, clause: Clause) -> list[Clause]:
    """Where to look for a statement's place, actor and date: its clause, the clauses before it in
    its sentence, the two sentences before, then the headline and the lead sentence."""
    order = [clause]
    same = [c for c in lay.clauses if c.sentence == clause.sentence and c.index < clause.index]
    order += list(reversed(same))
    if not clause.title:
        prev = [c for c in lay.clauses if clause.sentence - 2 <= c.sentence < clause.sentence and not c.title]
        order += list(reversed(prev))
        order += [c for c in lay.clauses if c.title]
    lead = [c for c in lay.clauses if not c.title]
    if lead:
        order += [c for c in lead if c.sentence == lead[0].sentence]
    seen: set[int] = set()
    return [c for c in order if not (c.index in seen or seen.add(c.index))]


def following(lay: Layout, clause: Clause) -> list[Clause]:
    """The clauses of the two sentences after a statement (a place is often named just after)."""
    return [c for c in lay.clauses if clause.sentence < c.sentence <= clause.sentence + 2 and not c.title]
