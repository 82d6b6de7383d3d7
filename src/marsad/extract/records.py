"""Drafts -> SCHEMA.md records: counts, victims, actors, event type, place, date, evidence."""

from __future__ import annotations

from datetime import date, timedelta

from marsad.extract.actors import agents_in, claimant, fits_means, left_open
from marsad.extract.assemble import Draft, following, reconcile, search_order, total
from marsad.extract.background import BACKGROUND_DAYS
from marsad.extract.candidates import Mention
from marsad.extract.cues import Lexicons, lexicons
from marsad.extract.events import CIVILIAN_GROUPS, event_rule, event_type
from marsad.extract.layout import Clause, Layout, clause_dates
from marsad.extract.places import Place, choose_place, clause_places, regions
from marsad.extract.tallies import period_start
from marsad.geo.resolver import CORE_COUNTRIES
from marsad.model import Evidence, Location, Record, Victim
from marsad.text.normalize import fold_plain


def build(lay: Layout, draft: Draft, lex: Lexicons, resolver) -> Record:
    primary = draft.primary.main
    order = search_order(lay, primary.clause)
    rec = Record(doc_id=lay.doc.doc_id, kind=draft.kind)
    evidence: list[Evidence] = []
    _counts(rec, draft, lay, evidence)
    _victims(rec, draft)
    # The victims' own words ("عناصر من قوات النظام", "جندي سوري") never name the perpetrator.
    exclude = [m.owner_span for st in draft.statements for m in _parts(st.main) if m.owner_span]
    exclude += [(m.start, m.end) for st in draft.statements for m in _parts(st.main) + st.wounded]
    exclude += [(s.start, s.end) for st in draft.statements for s in st.main.subsets]
    # Then the other statements' own sentences (a headline's author is often named in the body).
    orders = [order] + [
        [c for c in search_order(lay, st.main.clause) if c.sentence == st.main.clause.sentence]
        for st in draft.statements
        if st.main is not primary
    ]
    place = None
    if draft.kind == "incident":
        place = choose_place(lay, order + _following(lay, draft, primary.clause), primary.start, resolver)
    where = place.location.admin1 if place is not None else None
    _perpetrator(rec, lay, orders, primary, lex, exclude, evidence, where, resolver)
    # A tally's type is only what its own clause says ("خلال هجمات وتفجيرات"), else none.
    rule, cue = event_rule(lay, order if draft.kind == "incident" else order[:1], lex)
    if draft.kind == "incident" or cue:
        rec.event_type, rec.sub_event_type = event_type(rule, rec.victim_group)
    if not fits_means(rec.perpetrator, rec.sub_event_type):
        rec.perpetrator, rec.perpetrator_text = "unknown", None
        evidence[:] = [e for e in evidence if e.role != "actor"]
    if cue:
        evidence.append(_ev(lay, cue[0], cue[1], "event"))
    if rec.victim_group == "unknown" and primary.unnamed and draft.kind == "incident":
        # The dead with no word for who they were ("80 قتيلا في التفجيرين") are coded as the gold codes
        # "people" killed in an attack: civilians (after the event type, which this guess must not decide).
        rec.victim_group = "civilians"
    if draft.kind == "tally":
        _tally_fields(rec, lay, draft, lex, resolver, evidence)
    else:
        if not _date(rec, lay, order, evidence, lex):
            return None
        if resolver is not None and rec.perpetrator == "unknown" and not _home(place):
            # Neither where in Syria or Iraq nor by whom: often a press review's aside or a crime abroad.
            draft.flags.add("nowhere_nowho")
        if place is not None:
            rec.location = _location(place.location, place.text)
            evidence.append(Evidence(place.start, place.end, lay.doc.text[place.start : place.end], "place"))
    rec.evidence = _dedupe(evidence)
    return rec


def _home(place: Place | None) -> bool:
    """A place in a governorate of Syria or Iraq (the reports' own ground)."""
    return place is not None and bool(place.location.admin1) and place.location.country in CORE_COUNTRIES


def _following(lay: Layout, draft: Draft, clause: Clause) -> list[Clause]:
    """The sentences after a statement where its place may be named, up to one that tells a casualty
    figure of its own ("… أوقع 31 قتيلا ببغداد في يناير"): that sentence's places are its figure's."""
    own = {st.main.clause.sentence for st in draft.statements}
    others = lay.memo.get("figure_sentences", set()) - own
    out = []
    for c in following(lay, clause):
        if c.sentence in others:
            break
        out.append(c)
    return out


def _parts(m: Mention) -> list[Mention]:
    return [m, *m.coordinated]


def _ev(lay: Layout, start: int, end: int, role: str) -> Evidence:
    s, e, text = lay.original(start, end)
    return Evidence(s, e, text, role)


def _counts(rec: Record, draft: Draft, lay: Layout, evidence: list[Evidence]) -> None:
    # Body figures first: they are more precise than the headline's.
    ordered = sorted(draft.statements, key=lambda s: s.main.clause.title)
    tolls = [s for s in draft.statements if s.toll_update and s.main.kind == "killed"]
    killed = [total(s.main) for s in ordered if s.main.kind == "killed"]
    if tolls:
        # A rising toll replaces the earlier figures: the latest statement of it is the count.
        killed = [total(tolls[-1].main)]
    combined = [total(s.main) for s in ordered if s.main.kind == "combined"]
    wounded = [total(s.main) for s in ordered if s.main.kind == "wounded"] + [
        w.count for s in ordered for w in s.wounded
    ]
    rec.killed = reconcile(killed)
    rec.wounded = reconcile(wounded)
    if not killed:
        rec.killed_or_wounded = reconcile(combined)
    for st in draft.statements:
        for m in _parts(st.main) + st.wounded:
            evidence.append(_ev(lay, m.start, m.end, "count"))
        for sub in st.main.subsets:
            evidence.append(_ev(lay, sub.start, sub.end, "count"))


_CIVILIAN_SUBGROUPS = frozenset({"children", "women"})


def _victims(rec: Record, draft: Draft) -> None:
    tolls = [s for s in draft.statements if s.toll_update and s.main.kind == "killed"]
    # After a rising toll, its statement says who the dead are.
    primary = tolls[-1].main if tolls else draft.primary.main
    groups = [m.group for st in draft.statements for m in _parts(st.main) if m.group != "unknown"]
    rec.victim_group = primary.group if primary.group != "unknown" else (groups[0] if groups else "unknown")
    subs = {sub.group for sub in primary.subsets}
    if rec.victim_group == "unknown" and subs and subs <= CIVILIAN_GROUPS:
        rec.victim_group = "civilians"  # "مئة قتيل بينهم عشرات الأطفال"
    armed = [g for g in subs if g not in CIVILIAN_GROUPS]
    if primary.generic and armed:
        rec.victim_group = armed[0]  # "مقتل 55 شخصا بينهم 16 مقاتلا مواليا للنظام"
    if rec.victim_group in _CIVILIAN_SUBGROUPS:
        rec.victim_group = "civilians"  # "مقتل 16 طفلا": the children go to victims[], the group is civilians
    victims: list[Victim] = []
    parts = _parts(primary)
    for m in parts:
        if m.group == "unknown":
            continue
        killed = rec.killed if len(parts) == 1 and m.kind == "killed" else (m.count if m.kind == "killed" else None)
        wounded = None
        if len(parts) == 1 and rec.wounded is not None:
            wounded = rec.wounded
        victims.append(Victim(m.group, m.nationality, killed, wounded))
    # The primary statement's subsets first; the headline or a repetition may name more.
    others = [sub for st in draft.statements if st.main is not primary for sub in st.main.subsets]
    for sub in primary.subsets + others:
        if any(v.group == sub.group and v.nationality == sub.nationality for v in victims):
            continue
        counted = primary.kind == "killed"
        victims.append(
            Victim(sub.group, sub.nationality, sub.count if counted else None, None if counted else sub.count)
        )
    rec.victims = victims


def _perpetrator(
    rec: Record,
    lay: Layout,
    orders: list[list[Clause]],
    primary: Mention,
    lex: Lexicons,
    exclude,
    evidence,
    where: str | None,
    resolver,
) -> None:
    if any(left_open(lay, c, lex) for c in lay.clauses if c.sentence == primary.clause.sentence):
        return  # "من دون أن يعرف ما إذا كانت الطائرات سورية أم روسية": the report does not know
    for order in orders:
        agent = _agent_in(rec, lay, order, primary, lex, exclude, where, resolver)
        if agent is not None:
            _set_perpetrator(rec, lay, agent, evidence)
            return
    # Told without its author, then claimed a few sentences later.
    for clause in lay.clauses:
        if primary.clause.sentence < clause.sentence <= primary.clause.sentence + _CLAIM_SENTENCES:
            agent = claimant(lay, clause, lex)
            if agent is not None and agent.actor != rec.victim_group:
                _set_perpetrator(rec, lay, agent, evidence)
                return


def _agent_in(rec: Record, lay: Layout, order: list[Clause], primary: Mention, lex: Lexicons, exclude, where, resolver):
    for i, clause in enumerate(order):
        if i > 0 and where and _elsewhere(lay, clause, where, resolver):
            continue  # "القصف التركي على عفرين … كما قتل 36 شخصا في غارات على الغوطة": another event
        # An armed group is not the author of its own members' deaths ("63 قتلوا من التنظيم").
        agents = [a for a in agents_in(lay, clause, lex, exclude) if a.actor != rec.victim_group]
        if not agents:
            continue
        if i == 0 and clause is primary.clause:
            # "قوات تركية ومقاتلين … من المعارضة قصفوا … مما أدى إلى مقتل": the first named leads.
            before = [a for a in agents if a.start < primary.start]
            return before[0] if before else agents[0]
        return agents[0]
    return None


def _elsewhere(lay: Layout, clause: Clause, where: str, resolver) -> bool:
    """Whether `clause` tells of events in other governorates only (its located places), so that an
    author it names is not that of deaths in `where`."""
    there = {p.location.admin1 for p in clause_places(lay, clause, resolver) if p.anchored or clause.title}
    there.discard(None)
    return bool(there) and where not in there


_CLAIM_SENTENCES = 8


def _set_perpetrator(rec: Record, lay: Layout, agent, evidence: list[Evidence]) -> None:
    rec.perpetrator = agent.actor
    s, e, text = lay.original(agent.start, agent.end)
    rec.perpetrator_text = text
    evidence.append(Evidence(s, e, text, "actor"))


def _period_start(lay: Layout, clause: Clause, d, lex: Lexicons) -> bool:
    start = clause.start + d.start
    return any(True for _ in lex.since.finditer(lay.text, max(clause.start, start - 30), start + 1))


def _date(rec: Record, lay: Layout, order: list[Clause], evidence: list[Evidence], lex: Lexicons) -> bool:
    """Set the event date from the first clause in `order` that dates something recent."""
    published = lay.doc.published
    for clause in order:
        for d in clause_dates(lay, clause):
            if d.value is None:
                continue
            if published is not None and d.value < published - timedelta(days=BACKGROUND_DAYS):
                continue
            if d.precision == "year" or _period_start(lay, clause, d, lex):
                continue  # a year is too vague; "منذ ليل الأحد" starts a period, it is not the day
            rec.date = d.value.isoformat()
            rec.date_precision = d.precision
            evidence.append(_ev(lay, clause.start + d.start, clause.start + d.end, "date"))
            return True
    rec.date = published.isoformat() if isinstance(published, date) else None
    rec.date_precision = "report"
    return True


def _tally_fields(rec: Record, lay: Layout, draft: Draft, lex: Lexicons, resolver, evidence) -> None:
    published = lay.doc.published
    rec.date = published.isoformat() if published else None
    rec.date_precision = "report"
    for st in sorted(draft.statements, key=lambda s: s.main.clause.title):
        start = period_start(lay, st.main.clause, lex)
        if start:
            rec.period_start = start[0]
            evidence.append(_ev(lay, start[1], start[2], "date"))
            break
    clause = draft.primary.main.clause
    scope = [clause] + [
        c for c in lay.clauses if c.sentence == clause.sentence and c.index > clause.index and not c.title
    ]
    places = regions(lay, scope, resolver) if resolver is not None else []
    rec.regions = [_location(p.location, p.text) for p in places]
    for p in places:
        evidence.append(Evidence(p.start, p.end, lay.doc.text[p.start : p.end], "place"))


def _location(loc: Location, text: str) -> Location:
    out = Location(**{k: getattr(loc, k) for k in loc.__dataclass_fields__})
    out.text = text.strip()
    return out


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    seen = set()
    out = []
    for e in sorted(evidence, key=lambda e: (e.start, e.end)):
        key = (e.start, e.end, e.role)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def absorb_updates(built: list[tuple[Record, bool]]) -> list[Record]:
    """A rising toll ("ارتفعت حصيلة … الاثنين إلى مئة") replaces the earlier, smaller figure for
    the same place, day (±1) and perpetrator told elsewhere in the report ("مقتل حوالي 80")."""
    updates = [r for r, toll in built if toll and r.kind == "incident" and r.killed is not None]
    out: list[Record] = []
    for rec, toll in built:
        if not toll and rec.kind == "incident" and any(_earlier_count(rec, u) for u in updates):
            continue
        same = next((o for o in out if _same_event(o, rec)), None)
        if same is not None:
            _absorb(same, rec)
            continue
        out.append(rec)
    return out


def _same_event(a: Record, b: Record) -> bool:
    """Two figures for one event: same place, same day, same author, same kind of violence
    ("أكثر من ستين مدنيا … الثلاثاء" and "أكثر من مئة شخص … الثلاثاء", both in the Ghouta)."""
    if a.kind != "incident" or b.kind != "incident" or a.killed is None or b.killed is None:
        return False
    if not (a.location and b.location and a.location.name and a.location.name == b.location.name):
        return False
    if a.date_precision != "day" or a.date != b.date or b.date_precision != "day":
        return False
    if a.perpetrator != b.perpetrator or a.event_type != b.event_type:
        return False
    # A second source that does not say who died ("الحصيلة الأولية 40 شهيدا" after the monitor's "11
    # شخصا بينهم أربعة أطفال") is the same event when its author is named.
    if a.victim_group == b.victim_group:
        return True
    vague = a if _unnamed(a) else b if _unnamed(b) else None
    return vague is not None and a.perpetrator != "unknown" and _dead_only(vague)


def _unnamed(rec: Record) -> bool:
    """No word says who the dead were: the group is unknown, or civilians only by default (no victims)."""
    return rec.victim_group == "unknown" or (rec.victim_group == "civilians" and not rec.victims)


def _dead_only(rec: Record) -> bool:
    """The figure is told only as dead ("40 شهيدا", "25 قتيلا"), not as members of an unnamed group."""
    nouns = lexicons().killed_nouns
    counts = [fold_plain(e.text) for e in rec.evidence if e.role == "count"]
    return any(next(nouns.finditer(t), None) is not None for t in counts)


def _absorb(into: Record, other: Record) -> None:
    into.killed = reconcile([into.killed, other.killed])  # type: ignore[list-item]
    if _unnamed(into) and not _unnamed(other):
        into.victim_group = other.victim_group
    if into.wounded is None:
        into.wounded = other.wounded
    into.evidence = _dedupe(into.evidence + [e for e in other.evidence if e.role == "count"])


def _earlier_count(rec: Record, update: Record) -> bool:
    if rec.killed is None or rec.killed.central() is None or update.killed.central() is None:
        return False
    if rec.killed.central() > update.killed.central():  # type: ignore[operator]
        return False
    if not (rec.location and update.location and rec.location.admin1 and rec.location.admin1 == update.location.admin1):
        return False
    if "unknown" not in (rec.perpetrator, update.perpetrator) and rec.perpetrator != update.perpetrator:
        return False
    if rec.date_precision != "day" or update.date_precision != "day":
        return False
    return abs((date.fromisoformat(rec.date) - date.fromisoformat(update.date)).days) <= 1  # type: ignore[arg-type]
