"""The judgement calls, learned: the grammar proposes candidate records, a model decides.

For every candidate the grammar builds (a figure, its statements, its fields), `features` describes
what the grammar saw: how the figure was cued, its doubts (`flags`: an accident, a denial, an old
event, an outdated toll, a vague echo, neither place nor author), the period cues near it, its size,
where it stands in the report, the words around it. Two logistic models read those features:

- `keep`: is this a casualty count of an event the report presents as news?
- `tally`: is it a count over a period (a tally) rather than one incident?

A model is plain JSON (weights by feature name), never a pickle: safe to share, loaded in
milliseconds. `marsad train` writes one (marsad/extract/train.py); the shipped one is
`lang/<lang>/model.json`.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from marsad.extract.assemble import Draft, central, total
from marsad.extract.cues import Lexicons
from marsad.extract.layout import Layout
from marsad.extract.tallies import tally_signals
from marsad.extract.tokens import strip_clitics
from marsad.model import Record
from marsad.text.normalize import fold_plain
from marsad.text.numbers import TOKEN

_CONTEXT_WORDS = 3  # words each side of the figure that become features


@dataclass
class Candidate:
    draft: Draft
    record: Record
    features: dict[str, float]


@dataclass
class Model:
    """Two logistic models over named features, and the probability above which a record is kept.

    `decides` False: the model only scores (each record's confidence) and the grammar's calls stand.
    The shipped model is such a one until a model's decisions beat the grammar on held-out reports
    (docs/extraction.md has the figures)."""

    keep: dict[str, float]
    tally: dict[str, float]
    threshold: float = 0.5
    info: dict | None = None
    decides: bool = True

    @property
    def lang(self) -> str:
        """The language it was trained on (models written before there were two say nothing: Arabic)."""
        return str((self.info or {}).get("lang") or "ar")

    def p_keep(self, features: dict[str, float]) -> float:
        return _logistic(self.keep, features)

    def p_tally(self, features: dict[str, float]) -> float:
        return _logistic(self.tally, features)

    def to_json(self) -> dict:
        return {
            "keep": self.keep,
            "tally": self.tally,
            "threshold": self.threshold,
            "decides": self.decides,
            "info": self.info or {},
        }

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1, sort_keys=True) + "\n")

    @classmethod
    def from_json(cls, data: dict) -> Model:
        try:
            return cls(
                keep={str(k): float(v) for k, v in data["keep"].items()},
                tally={str(k): float(v) for k, v in data["tally"].items()},
                threshold=float(data.get("threshold", 0.5)),
                info=data.get("info"),
                decides=bool(data.get("decides", True)),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"not a marsad model: {exc}") from exc


def load_model(path: str | Path) -> Model:
    """A model written by `marsad train`; ValueError names the file when it is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read a model: {exc}") from exc
    try:
        return Model.from_json(data)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from exc


# `--model shipped` (MARSAD_MODEL=shipped): the model that comes with marsad, whatever a database remembers.
SHIPPED = "shipped"


def default_model(lang: str = "ar") -> Model | None:
    """The model named by `MARSAD_MODEL` (set by `--model`) when it was trained on `lang`, else (or when it says
    "shipped") the one shipped for `lang` (`lang/<lang>/model.json`): features are language-specific, so a model
    never judges another language."""
    chosen = _model_at(os.environ.get("MARSAD_MODEL") or "", lang)
    return chosen if chosen is not None and chosen.lang == lang else _model_at("", lang)


@cache
def _model_at(path: str, lang: str) -> Model | None:
    if path and path != SHIPPED:
        return load_model(path)
    ref = resources.files("marsad.lang").joinpath(lang, "model.json")
    return Model.from_json(json.loads(ref.read_text(encoding="utf-8"))) if ref.is_file() else None


def _logistic(weights: dict[str, float], features: dict[str, float]) -> float:
    z = weights.get("bias", 0.0) + sum(weights.get(k, 0.0) * v for k, v in features.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def features(lay: Layout, draft: Draft, rec: Record, lex: Lexicons) -> dict[str, float]:
    """What the grammar saw of one candidate record, as named features (absent = 0)."""
    main = draft.primary.main
    f: dict[str, float] = {f"flag={flag}": 1.0 for flag in draft.flags}
    f[f"how={main.how}"] = 1.0
    f[f"mention={main.kind}"] = 1.0
    f[f"grammar_kind={draft.kind}"] = 1.0
    f["statements"] = min(len(draft.statements), 4) / 4
    titles = [s.main.clause.title for s in draft.statements]
    f["title_only"] = float(all(titles))
    f["title_and_body"] = float(any(titles) and not all(titles))
    f["toll_update"] = float(any(s.toll_update for s in draft.statements))
    f["alternative"] = float(any(s.alternative for s in draft.statements))
    f["subsets"] = float(bool(main.subsets))
    f["coordinated"] = float(bool(main.coordinated))
    f["generic_victims"] = float(main.generic)
    body = [c.sentence for c in lay.clauses if not c.title]
    if not main.clause.title and body:
        f["lead_sentence"] = float(main.clause.sentence == body[0])
        f["position"] = (main.clause.sentence - body[0]) / max(1, body[-1] - body[0])
    value = central(total(main))
    f[f"size={size_bin(value)}"] = 1.0
    f["vague"] = float(main.count.best is None)
    f["at_least"] = float(main.count.low is not None and main.count.low == main.count.best)
    f[f"victims={rec.victim_group}"] = 1.0
    f["perpetrator_named"] = float(rec.perpetrator not in (None, "unknown"))
    loc = rec.location or (rec.regions[0] if rec.regions else None)
    f["admin1_known"] = float(bool(loc and loc.admin1))
    f[f"country={(loc.country if loc else None) or 'none'}"] = 1.0
    f[f"precision={(loc.geo_precision if loc else None) or 'none'}"] = 1.0
    events = [e.text for e in rec.evidence if e.role == "event"]
    # "غارات"، "هجمات"، "اشتباكات": many attacks (a day's or a region's toll) rather than one.
    f["attacks_plural"] = float(any(fold_plain(t).split()[-1].endswith("ات") for t in events if t.split()))
    f["places_in_sentence"] = min(_places_in_sentence(lay, main.clause.sentence), 3) / 3
    f[f"date={rec.date_precision}"] = 1.0
    f["period_start"] = float(rec.period_start is not None)
    for sig in tally_signals(lay, main.clause, lex, main.start, main.end, value):
        f[f"period={sig}"] = 1.0
    for word in _context(lay.text, main.start, main.end, main.clause.start, main.clause.end):
        f[word] = 1.0
    return f


def _places_in_sentence(lay: Layout, sentence: int) -> int:
    """How many places the sentence names (a toll over several towns is rarely one incident)."""
    places = lay.memo.get("places", {})
    return len({p.location.name for c in lay.sentence_clauses(sentence) for p in places.get(c.index, [])})


def size_bin(value: int | None) -> str:
    if value is None:
        return "none"
    for bound, name in ((1, "1"), (4, "2-4"), (9, "5-9"), (49, "10-49"), (199, "50-199"), (999, "200-999")):
        if value <= bound:
            return name
    return "1000+"


def _context(text: str, start: int, end: int, cs: int, ce: int) -> set[str]:
    """The words just before and after the figure, without proclitics and digits."""
    before = [m.group() for m in TOKEN.finditer(text, max(cs, start - 60), start)][-_CONTEXT_WORDS:]
    after = [m.group() for m in TOKEN.finditer(text, end, min(ce, end + 60))][:_CONTEXT_WORDS]
    out = {f"before={strip_clitics(w)}" for w in before if not w.isdigit()}
    out |= {f"after={strip_clitics(w)}" for w in after if not w.isdigit()}
    return out


def decide(candidates: list[Candidate], model: Model | None) -> list[tuple[Candidate, float | None, str]]:
    """The candidates kept, each with its confidence (None without a model) and kind.

    The grammar decides when there is no model or the model only scores: a candidate it doubts
    (any flag) is dropped and its own kind stands."""
    out: list[tuple[Candidate, float | None, str]] = []
    for cand in candidates:
        p = model.p_keep(cand.features) if model is not None else None
        if model is None or not model.decides or cand.record.killed is None:
            # A wounded-only incident is not a count the model was trained to judge.
            if not cand.draft.flags:
                out.append((cand, p, cand.draft.kind))
        elif p >= model.threshold:  # type: ignore[operator]
            out.append((cand, p, "tally" if model.p_tally(cand.features) >= 0.5 else "incident"))
    return out
