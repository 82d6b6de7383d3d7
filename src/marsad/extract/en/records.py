"""Drafts -> SCHEMA.md records: counts, victims, perpetrator, event type, place, date and evidence.

Each field is taken from the statement's own sentence first, then the headline, then the sentences
around it. An event dated more than BACKGROUND_DAYS before publication is background, not news (flagged:
the grammar drops it). `settle` folds another source's toll of an event into the event kept first.
"""

from __future__ import annotations

from datetime import timedelta

from marsad.extract.en import context
from marsad.extract.en.lexicon import Lexicon
from marsad.extract.en.mentions import Mention
from marsad.extract.en.statements import Draft, Statement, merge, sentences
from marsad.model import Count, Document, Evidence, Location, Record, Victim

BACKGROUND_DAYS = 30
# Two tolls of one event differ by at most this factor ("initially 34 ... now 53", "31 ... the claim said 40").
TOLL_RATIO = 2.0
# An attacker the statement's sentences do not name may be named later in the report ("The Observatory
# said the strikes were carried out by Russian jets"): the first agent-position actor up to this many
# sentences after the statement.
PERPETRATOR_REACH = 3
_PEOPLE = "civilians"


def propose(doc: Document, statements: list[Statement], lex: Lexicon, resolver) -> list[tuple[Draft, Record]]:
    """Every draft the grammar makes of the statements, with its record. Doubted statements form drafts of their
    own, so they never change how sound ones merge; an event told as old news is flagged `background`."""
    spans = sentences(doc)
    sound = [st for st in statements if not st.flags]
    doubted = [st for st in statements if st.flags]
    return [(draft, _record(doc, draft, spans, lex, resolver)) for draft in merge(sound) + merge(doubted)]


def settle(kept: list[Record]) -> list[Record]:
    """The records kept, another source's toll of an event already told widening that event's range."""
    records: list[Record] = []
    for rec in kept:
        told = next((r for r in records if _other_toll(r, rec)), None)
        if told is None:
            records.append(rec)
        else:
            _widen(told, rec)
    return records


def _other_toll(a: Record, b: Record) -> bool:
    """Another source's toll of the same event ("SANA gave a toll of at least 12", "the claim said 40"): the same kind,
    place, type and day (or no day of its own), a killed figure within a factor of TOLL_RATIO, and no actor of its own
    that differs."""
    if a.kind != b.kind or a.killed is None or b.killed is None or a.event_type != b.event_type:
        return False
    ka, kb = a.killed.central(), b.killed.central()
    if not ka or not kb or max(ka, kb) > TOLL_RATIO * min(ka, kb):
        return False
    same_place = a.location is None or b.location is None or a.location.admin1 == b.location.admin1
    same_day = b.date_precision == "report" or a.date == b.date
    same_actor = b.perpetrator in ("unknown", a.perpetrator)
    return same_place and same_day and same_actor


def _widen(into: Record, other: Record) -> None:
    """Keep the first figure as best; the other source's figure widens low/high."""
    k, o = into.killed, other.killed
    figure = o.central()
    low = k.low if k.low is not None else k.best
    if low is not None and figure < low:
        k.low = figure
    elif figure > max(v for v in (k.best, k.low, k.high) if v is not None):
        k.high = figure
    counts = [e for e in other.evidence if e.role == "count"]
    into.evidence = sorted(into.evidence + counts, key=lambda e: (e.start, e.end))


def _order(spans: list[tuple[int, int]], indexes: list[int], has_title: bool) -> list[tuple[int, int]]:
    """The statements' sentences, then the headline, then the first statement's neighbours."""
    order = list(dict.fromkeys(spans[i] for i in indexes))
    if has_title and spans[0] not in order:
        order.append(spans[0])
    first = indexes[0]
    order += [spans[i] for i in (first - 1, first + 1) if 0 <= i < len(spans) and spans[i] not in order]
    return order


def _record(doc: Document, draft: Draft, spans: list[tuple[int, int]], lex: Lexicon, resolver) -> Record:
    text, first = doc.text, draft.first
    order = _order(spans, [st.index for st in draft.statements], bool(doc.title))
    published = _reference_date(doc)
    when = context.choose_date(text, order, published, doc.body_start)
    if when is not None and published is not None and when.value < published - timedelta(BACKGROUND_DAYS):
        draft.notes.add("background")  # old news told as background
    figures = [m for st in draft.statements for m in st.mentions]
    evidence = [Evidence(m.start, m.end, text[m.start : m.end], "count") for m in figures]
    rec = Record(doc_id=doc.doc_id, kind=draft.kind)
    rec.killed, rec.wounded = draft.killed(), draft.wounded()
    rec.victim_group, rec.victims = _victims(_richest(draft), lex)
    victim_spans = [(m.start, m.end) for st in draft.statements for m in st.mentions]
    rest = [sp for sp in spans[: first.index + PERPETRATOR_REACH + 1] if sp not in order]
    # "30 IS militants were killed": the dead's own side is not who killed them.
    told = first.killed
    dead_sides = {told.victim_actor.value} if told is not None and told.victim_actor is not None else set()
    _perpetrator(rec, text, order + rest, lex, victim_spans, evidence, dead_sides)
    _event(rec, text, order, lex, evidence)
    _place(rec, text, order, resolver, evidence)
    if when is not None:
        rec.date, rec.date_precision = when.value.isoformat(), when.precision
        evidence.append(Evidence(when.start, when.end, text[when.start : when.end], "date"))
    elif published is not None:
        rec.date, rec.date_precision = published.isoformat(), "report"
    retype(rec, rec.kind)
    rec.evidence = sorted(evidence, key=lambda ev: (ev.start, ev.end))
    return rec


def retype(rec: Record, kind: str) -> None:
    """Make `rec` an incident or a tally (a tally covers its region up to its date)."""
    rec.kind = kind
    rec.period_end = rec.date if kind == "tally" else None
    rec.regions = [rec.location] if kind == "tally" and rec.location else []


def _reference_date(doc: Document):
    """The report's own dateline when it has one, else the publication date: a feed's date can be days or years off
    (FA-KES rows), and "on Tuesday" and the background rule must read against the day the report was written."""
    return context.dateline(doc.text, doc.body_start) or doc.published


def _richest(draft: Draft) -> Mention | None:
    """The figure that says most about who died: with sub-groups, else with a victim noun, else the first."""
    figures = [st.killed or st.wounded for st in draft.statements if st.mentions]
    return max(figures, key=lambda m: (bool(m.subgroups), m.victim is not None), default=None)


def _victims(m: Mention | None, lex: Lexicon) -> tuple[str, list[Victim]]:
    if m is None:
        return "unknown", []
    group = m.victim or "unknown"
    victims = []
    if m.victim_actor is not None and group in lex.nationality:
        # "two Russian pilots": the dead's nationality, as the Arabic engine gives it
        count = Count(m.count.low, m.count.best, m.count.high)
        dead, hurt = (count, None) if m.kind == "killed" else (None, count)
        victims.append(Victim(group=group, nationality=lex.nationality[group], killed=dead, wounded=hurt))
    for sub in sorted(m.subgroups, key=lambda sub: sub.start):
        sub_group = sub.victim or (_PEOPLE if group == "unknown" else group)
        count = Count(sub.count.low, sub.count.best, sub.count.high)
        if m.kind == "killed":
            victims.append(Victim(group=sub_group, killed=count))
        else:
            victims.append(Victim(group=sub_group, wounded=count))
    return group, victims


def _perpetrator(
    rec: Record, text: str, order, lex: Lexicon, victim_spans, evidence: list[Evidence], dead_sides: set[str]
) -> None:
    for s, e in order:
        found = context.perpetrator(text, s, e, lex, victim_spans, dead_sides)
        if found is None:
            continue
        rec.perpetrator = str(found.value)
        if found.end > found.start:
            rec.perpetrator_text = found.text
            evidence.append(Evidence(found.start, found.end, found.text, "actor"))
        return


def _event(rec: Record, text: str, order, lex: Lexicon, evidence: list[Evidence]) -> None:
    found = context.event_type(text, order, lex)
    if found is None:
        civilian = rec.victim_group in ("civilians", "children", "women", "journalists", "medical_workers")
        rec.event_type, rec.sub_event_type = lex.default_civilian if civilian else lex.default_other
        return
    rec.event_type, rec.sub_event_type, span = found
    evidence.append(Evidence(span.start, span.end, span.text, "event"))


def _place(rec: Record, text: str, order, resolver, evidence: list[Evidence]) -> None:
    found = context.choose_place(text, order, resolver)
    if found is None:
        return
    span, loc = found
    rec.location = Location(
        text=span.text,
        name=loc.name,
        admin1=loc.admin1,
        admin2=loc.admin2,
        country=loc.country,
        lat=loc.lat,
        lon=loc.lon,
        geo_precision=loc.geo_precision,
    )
    evidence.append(Evidence(span.start, span.end, span.text, "place"))
