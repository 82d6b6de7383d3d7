"""Learning the decision model from annotated reports (`marsad train`, `marsad eval --folds`).

Every candidate the grammar proposes for an annotated report is labelled by the gold records of
that report: `keep` when its killed count matches a gold record's (the one-to-one matching of
`marsad.evaluate`), `tally` when the gold record it matches is a tally. Two L2-regularised logistic
regressions (scikit-learn) learn from those labels; their weights are written as JSON by name.

Cross-validation splits by report, and reports that are near copies of each other (the same wire
story in two outlets) stay in one fold, so a fold never scores a text it has trained on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from marsad.evaluate import evaluate, match
from marsad.extract import candidates, decided
from marsad.extract.decide import Candidate, Model
from marsad.model import Document, Record

_C = 0.5  # inverse regularisation strength: few hundred candidates, many sparse features
_NEAR_COPY = 0.5  # Jaccard of word 4-gram sets above which two reports are one story


@dataclass
class Annotated:
    """One annotated report with the grammar's proposal for it."""

    gold: dict[str, Any]
    text: str
    proposal: Any  # what marsad.extract.candidates returned (None: no casualty cue)
    lang: str = "ar"

    @property
    def cands(self) -> list[Candidate]:
        return self.proposal[2] if self.proposal else []


def annotate(gold: Sequence[dict], docs: dict[str, Document], places=None, progress: Callable | None = None):
    """The grammar's proposal for every gold report found in `docs` (missing ones are skipped)."""
    out = []
    for g in gold:
        doc = docs.get(g["doc_id"])
        if doc is not None:
            out.append(Annotated(g, doc.text, candidates(doc, places), doc.lang))
        if progress:
            progress()
    return out


def labels(item: Annotated) -> list[tuple[Candidate, int, int]]:
    """(candidate, keep, tally) for each candidate with a killed count. Gold and candidates are
    paired one to one (exact figures first, the grammar's sound candidates before its doubted ones),
    so a second candidate for an event already told is a negative: the model learns to drop echoes."""
    gold = [g for g in item.gold["incidents"] if g.get("killed") is not None]
    cands = sorted((c for c in item.cands if c.record.killed is not None), key=lambda c: bool(c.draft.flags))
    pairs = dict((si, gi) for gi, si in match(gold, [c.record.to_dict() for c in cands], use_admin1=False))
    out = []
    for si, cand in enumerate(cands):
        gi = pairs.get(si)
        out.append((cand, int(gi is not None), int(gi is not None and gold[gi].get("kind") == "tally")))
    return out


def fit(items: Iterable[Annotated], info: dict | None = None) -> Model:
    """Train the keep and tally models on the labelled candidates of `items`."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    items = list(items)
    langs = sorted({it.lang for it in items})
    if len(langs) > 1:
        # Each language's grammar names its features its own way: one model per language.
        raise ValueError(f"annotated reports in {', '.join(langs)}: train one language at a time")
    rows = [row for item in items for row in labels(item)]
    if not rows:
        raise ValueError("no candidate with a killed count in the annotated reports: nothing to learn from")
    vec = DictVectorizer()
    x = vec.fit_transform([c.features for c, _, _ in rows])
    names = vec.get_feature_names_out()

    def weights(y: list[int], subset: list[int]) -> dict[str, float]:
        if len(set(y[i] for i in subset)) < 2:
            # One class only: a constant model that always says it.
            return {"bias": 30.0 if y[subset[0]] else -30.0} if subset else {"bias": -30.0}
        clf = LogisticRegression(C=_C, max_iter=2000)
        clf.fit(x[subset], [y[i] for i in subset])
        out = {str(n): round(float(w), 5) for n, w in zip(names, clf.coef_[0], strict=True) if abs(w) > 1e-6}
        out["bias"] = round(float(clf.intercept_[0]), 5)
        return out

    keep_y = [k for _, k, _ in rows]
    tally_y = [t for _, _, t in rows]
    kept = [i for i, k in enumerate(keep_y) if k]
    stats = {"candidates": len(rows), "positive": len(kept), "tallies": sum(tally_y)}
    return Model(
        keep=weights(keep_y, list(range(len(rows)))),
        tally=weights(tally_y, kept),
        info={**(info or {}), **stats, "lang": langs[0] if langs else "ar"},
    )


def folds(items: Sequence[Annotated], k: int) -> list[list[int]]:
    """k folds of item indices: whole reports, near copies together, sizes balanced."""
    shingles = [_shingles(it.text) for it in items]
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(items)):
        for j in range(i):
            a, b = shingles[i], shingles[j]
            if a and b and len(a & b) / len(a | b) >= _NEAR_COPY:
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(root(i), []).append(i)
    out: list[list[int]] = [[] for _ in range(k)]
    # Largest groups first, each into the smallest fold; ties by document id so runs repeat.
    for members in sorted(groups.values(), key=lambda m: (-len(m), items[m[0]].gold["doc_id"])):
        min(out, key=len).extend(members)
    return out


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text)
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def cross_validate(items: Sequence[Annotated], k: int) -> dict[str, Any]:
    """Train on k-1 folds, score the held-out one: the figures per fold and pooled, and the grammar's
    own calls on the same reports for comparison."""
    parts = folds(items, k)
    pooled: dict[str, list[Record]] = {}
    per_fold = []
    for held in parts:
        held_set = set(held)
        model = fit([it for i, it in enumerate(items) if i not in held_set])
        predictions = {items[i].gold["doc_id"]: decided(items[i].proposal, model) for i in held}
        pooled.update(predictions)
        per_fold.append(evaluate([items[i].gold for i in held], predictions))
    return {
        "folds": per_fold,
        "pooled": evaluate([it.gold for it in items], pooled),
        "grammar": evaluate([it.gold for it in items], {it.gold["doc_id"]: decided(it.proposal, None) for it in items}),
    }
