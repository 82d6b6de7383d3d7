"""Score extraction against hand-annotated gold records (pure functions, results as a dict).

Casualty incidents are gold incidents with a killed count. A system incident matches a gold one
of the same report when its killed count agrees (same best, or one's figure inside the other's
[low, high]) and, where the gold names an admin1, the same admin1. On matched pairs we report the
accuracy of perpetrator, event_type, victim_group and date (within one day), and of admin1 on the pairs
matched on the count alone (strict pairs agree on it by construction). Tallies are
matched on count alone. A report whose gold lists nothing should produce no record at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from marsad.model import Count, Document, Record


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_docs(path: str | Path, wanted: set[str] | None = None) -> dict[str, Document]:
    from marsad.sources import read_path

    docs = {}
    for doc in read_path(str(path)):
        if not isinstance(doc, Document):
            continue  # a source error: reported by the reader, not scored
        if wanted is None or doc.doc_id in wanted:
            docs[doc.doc_id] = doc
    return docs


def _count(data: dict | Count | None) -> Count | None:
    if data is None or isinstance(data, Count):
        return data
    return Count.from_dict(data)


def _central(c: Count | None) -> int | None:
    if c is None:
        return None
    return c.best if c.best is not None else c.low


def _inside(value: int | None, c: Count | None) -> bool:
    if value is None or c is None:
        return False
    low = c.low if c.low is not None else c.best
    high = c.high if c.high is not None else c.best
    return low is not None and high is not None and low <= value <= high


def count_match(gold: Count | None, system: Count | None) -> int:
    """2 = same best figure, 1 = one figure within the other's range, 0 = no match."""
    g, s = _central(gold), _central(system)
    if g is None or s is None:
        return 0
    if g == s:
        return 2
    return 1 if _inside(g, system) or _inside(s, gold) else 0


def _admin1(item: dict) -> str | None:
    loc = item.get("location") or {}
    return loc.get("admin1")


def match(gold: list[dict], system: list[dict], use_admin1: bool = True) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs (gold index, system index): exact figures first, then ranges."""
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_s: set[int] = set()
    for level in (2, 1):
        for gi, g in enumerate(gold):
            if gi in used_g:
                continue
            for si, s in enumerate(system):
                if si in used_s or count_match(_count(g.get("killed")), _count(s.get("killed"))) < level:
                    continue
                if use_admin1 and _admin1(g) and _admin1(g) != _admin1(s):
                    continue
                pairs.append((gi, si))
                used_g.add(gi)
                used_s.add(si)
                break
    return pairs


def _prf(tp: int, n_gold: int, n_sys: int) -> dict[str, float | int]:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "gold": n_gold, "system": n_sys, "precision": p, "recall": r, "f1": f}


def _same_date(g: str | None, s: str | None) -> bool:
    if not g or not s:
        return False
    return abs((date.fromisoformat(g) - date.fromisoformat(s)).days) <= 1


_FIELDS: dict[str, Callable[[dict, dict], bool | None]] = {
    "perpetrator": lambda g, s: (g.get("perpetrator") or "unknown") == (s.get("perpetrator") or "unknown"),
    "event_type": lambda g, s: g.get("event_type") == s.get("event_type"),
    "victim_group": lambda g, s: (g.get("victim_group") or "unknown") == (s.get("victim_group") or "unknown"),
    "admin1": lambda g, s: None if not _admin1(g) else _admin1(g) == _admin1(s),
    "date": lambda g, s: None if not g.get("date") else _same_date(g.get("date"), s.get("date")),
}


def _casualty(items: Iterable[dict], kind: str) -> list[dict]:
    return [i for i in items if i.get("kind", "incident") == kind and i.get("killed") is not None]


def evaluate(gold: list[dict], predictions: dict[str, list[Record]]) -> dict[str, Any]:
    """Scores for `predictions` (doc_id -> records) against `gold` (ar_dev.jsonl lines)."""
    tp = tp_count = n_gold = n_sys = 0
    t_tp = t_gold = t_sys = 0
    field_hits = {k: [0, 0] for k in _FIELDS}
    silent = [0, 0]
    errors: list[dict[str, Any]] = []
    for doc in gold:
        recs = [r.to_dict() for r in predictions.get(doc["doc_id"], [])]
        if not doc["incidents"]:
            silent[1] += 1
            silent[0] += not recs
        g_inc, s_inc = _casualty(doc["incidents"], "incident"), _casualty(recs, "incident")
        pairs = match(g_inc, s_inc)
        count_pairs = match(g_inc, s_inc, use_admin1=False)
        tp += len(pairs)
        tp_count += len(count_pairs)
        n_gold += len(g_inc)
        n_sys += len(s_inc)
        for name, fn in _FIELDS.items():
            # Strict pairs agree on admin1 by construction, so admin1 is judged on the count-only pairs.
            for gi, si in count_pairs if name == "admin1" else pairs:
                ok = fn(g_inc[gi], s_inc[si])
                if ok is not None:
                    field_hits[name][0] += ok
                    field_hits[name][1] += 1
        g_tal, s_tal = _casualty(doc["incidents"], "tally"), _casualty(recs, "tally")
        t_pairs = match(g_tal, s_tal, use_admin1=False)
        t_tp += len(t_pairs)
        t_gold += len(g_tal)
        t_sys += len(s_tal)
        errors += _errors(doc["doc_id"], g_inc, s_inc, pairs)
        errors += _errors(doc["doc_id"], g_tal, s_tal, t_pairs, " tally")
    return {
        "documents": len(gold),
        "incidents": _prf(tp, n_gold, n_sys),
        "incidents_count_only": _prf(tp_count, n_gold, n_sys),
        "accuracy": {k: (h / n if n else None) for k, (h, n) in field_hits.items()},
        "accuracy_support": {k: n for k, (_, n) in field_hits.items()},
        "tallies": _prf(t_tp, t_gold, t_sys),
        "silent_on_no_incident": silent[0] / silent[1] if silent[1] else None,
        "no_incident_reports": silent[1],
        "errors": errors,
    }


def _brief(item: dict) -> dict[str, Any]:
    return {
        "killed": item.get("killed"),
        "admin1": _admin1(item),
        "perpetrator": item.get("perpetrator"),
        "text": item.get("evidence_text") or " | ".join(e["text"] for e in item.get("evidence", [])[:3]),
    }


def _errors(
    doc_id: str, gold: list[dict], system: list[dict], pairs: list[tuple[int, int]], kind: str = ""
) -> list[dict]:
    got_g = {g for g, _ in pairs}
    got_s = {s for _, s in pairs}
    out = [{"doc_id": doc_id, "type": "missed" + kind, **_brief(g)} for i, g in enumerate(gold) if i not in got_g]
    out += [{"doc_id": doc_id, "type": "spurious" + kind, **_brief(s)} for i, s in enumerate(system) if i not in got_s]
    return out


def run(
    gold_paths: str | Path | list[str],
    docs_paths: str | Path | list[str],
    extractor: Callable[[Document], list[Record]] | None = None,
):
    """Load gold and documents, extract, score. Documents missing from the docs score as silent."""
    if extractor is None:
        from marsad.extract import extract as extractor
    gold = [g for path in _paths(gold_paths) for g in load_gold(path)]
    docs: dict[str, Document] = {}
    for path in _paths(docs_paths):
        docs.update(read_docs(path, {g["doc_id"] for g in gold}))
    predictions = {doc_id: extractor(doc) for doc_id, doc in docs.items()}
    result = evaluate(gold, predictions)
    result["documents_found"] = len(docs)
    return result


def _paths(paths: str | Path | list[str]) -> list[str]:
    return [str(paths)] if isinstance(paths, str | Path) else [str(p) for p in paths]


def load_predictions(path: str | Path) -> dict[str, list[Record]]:
    """Records to score, from gold-shaped lines ({"doc_id", "incidents": [...]}, e.g. `marsad review export
    --gold`) or record lines (`marsad extract --format jsonl`, `marsad export --format jsonl`)."""
    found: dict[str, list[Record]] = {}
    for line_no, item in enumerate(load_gold(path), 1):
        if "doc_id" not in item:
            raise ValueError(f"{path}:{line_no}: no doc_id")
        items = item.get("incidents", [item])
        found.setdefault(item["doc_id"], []).extend(Record.from_dict({**r, "doc_id": item["doc_id"]}) for r in items)
    return found


def score(gold_paths: str | Path | list[str], predictions_path: str | Path) -> dict[str, Any]:
    """Score stored or exported records against gold, without running extraction."""
    gold = [g for path in _paths(gold_paths) for g in load_gold(path)]
    predictions = load_predictions(predictions_path)
    result = evaluate(gold, predictions)
    result["documents_found"] = sum(1 for g in gold if g["doc_id"] in predictions)
    return result
