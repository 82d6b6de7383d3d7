"""Document-level scoring for corpora labelled with one main event per article (FA-KES).

Each article's label gives the main event's place (governorate), perpetrator class and dead
(civilians, non-civilians). marsad's main event is the report's first incident with a killed figure
(the headline's event, or the earliest told); failing one, its first record. Scored per article:
- killed: the main event's killed figure (best, else low) equals civilians + non-civilians, or
  either part alone; an article labelled with no dead matches when marsad gives no killed figure;
- admin1: the main event's governorate is the label's (FA-KES's "damascus" also covers Rural
  Damascus: its location list has no such class);
- perpetrator: the main event's perpetrator is one of the SCHEMA ids the label's class maps to.
Figures are given over all articles and per fold (article i is in fold i mod k), so a rule written
while reading one fold's errors can be measured on the others.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marsad.geo.lexicon import canonical_admin1
from marsad.model import Document, Record

# FA-KES actor classes -> the SCHEMA ids that match them (issue 11).
PERPETRATOR_CLASSES: dict[str, frozenset[str]] = {
    "syrian government or russian troops": frozenset({"syrian_government", "russia", "pro_government_militias"}),
    "international coalition forces": frozenset({"us_led_coalition"}),
    "armed opposition groups": frozenset({"syrian_opposition"}),
    "self administration forces": frozenset({"sdf_ypg"}),
    "al-nusra front": frozenset({"hts"}),
    "the organization of the islamic state in iraq and the levant - isis": frozenset({"isis"}),
    "unknown": frozenset({"unknown"}),
}
# Label spellings that the admin1 lexicon does not hold, and labels that cover more than one admin1.
ADMIN1_ALSO = {"Damascus": frozenset({"Damascus", "Rural Damascus"})}


@dataclass
class Label:
    doc_id: str
    admin1: str | None
    actor: str
    civilians: int
    noncivilians: int


def read_labels(path: str | Path) -> list[Label]:
    """The labelled articles of a FA-KES-style CSV, in file order."""
    labels = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            # The row's first line in the file: a quoted article may span several lines.
            line = reader.line_num - sum(str(v).count("\n") for v in row.values() if v)
            labels.append(_label(row, path, line))
    return labels


def _label(row: dict[str, str], path: str | Path, line: int) -> Label:
    try:
        return Label(
            doc_id=str(row["unit_id"]).strip(),
            admin1=canonical_admin1(row["location"].strip()) if row.get("location") else None,
            actor=(row.get("actor") or "unknown").strip().lower(),
            civilians=int(float(row.get("nb_civilians") or 0)),
            noncivilians=int(float(row.get("nb_noncivilians") or 0)),
        )
    except (KeyError, ValueError) as exc:
        raise ValueError(f"{path}:{line}: unreadable label ({exc})") from None


def main_event(records: list[Record]) -> Record | None:
    incidents = [r for r in records if r.kind == "incident"]
    with_killed = [r for r in incidents if r.killed is not None and r.killed.central() is not None]
    return (with_killed or incidents or [None])[0]


def score_article(label: Label, records: list[Record]) -> dict[str, Any]:
    main = main_event(records)
    killed = main.killed.central() if main is not None and main.killed is not None else None
    parts = {label.civilians + label.noncivilians, label.civilians, label.noncivilians} - {0}
    killed_ok = killed in parts if parts else killed in (None, 0)
    admin1 = main.location.admin1 if main is not None and main.location else None
    wanted_admin1 = ADMIN1_ALSO.get(label.admin1 or "", frozenset({label.admin1}))
    perpetrator = main.perpetrator if main is not None else "unknown"
    wanted = PERPETRATOR_CLASSES.get(label.actor, frozenset())
    return {
        "doc_id": label.doc_id,
        "killed": killed_ok,
        "admin1": admin1 in wanted_admin1 if label.admin1 else None,
        "perpetrator": perpetrator in wanted,
        "perpetrator_named": perpetrator in wanted if label.actor != "unknown" else None,
        "system": {"killed": killed, "admin1": admin1, "perpetrator": perpetrator},
        "label": {
            "killed": sorted(parts),
            "admin1": label.admin1,
            "actor": label.actor,
        },
    }


def _rates(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    rows = list(rows)
    out: dict[str, Any] = {"articles": len(rows)}
    for key in ("killed", "admin1", "perpetrator", "perpetrator_named"):
        scored = [r[key] for r in rows if r[key] is not None]
        out[key] = round(sum(scored) / len(scored), 3) if scored else None
        out[f"{key}_n"] = len(scored)
    return out


def run_doc(labels_path: str, docs_path: str | None = None, folds: int = 2) -> dict[str, Any]:
    """Score extraction on every labelled article; `docs_path` defaults to the labels file itself."""
    from marsad.extract import extract
    from marsad.sources import read_path

    labels = read_labels(labels_path)
    # FA-KES's columns (unit_id, article_title, article_content, date) are among the readers' usual names.
    read = read_path(str(docs_path or labels_path))
    docs: dict[str, Document] = {d.doc_id: d for d in read if isinstance(d, Document)}
    rows = []
    for i, label in enumerate(labels):
        doc = docs.get(label.doc_id)
        row = score_article(label, extract(doc) if doc is not None else [])
        row["fold"] = i % folds
        row["found"] = doc is not None
        rows.append(row)
    return {
        "overall": _rates(rows),
        "folds": [_rates(r for r in rows if r["fold"] == k) for k in range(folds)],
        "articles": rows,
    }
