"""Event resolution on the gold events of ar_dev: duplicates across outlets merge, different events stay apart."""

from __future__ import annotations

import json
from datetime import date
from itertools import combinations

import pytest

from conftest import DATA, need
from marsad.model import Record
from marsad.resolve.cluster import resolve_items
from marsad.resolve.features import Item, to_item
from marsad.resolve.merge import summarize
from marsad.resolve.scoring import score_pair
from marsad.resolve.similarity import text_bonus, tie_break


def gold() -> tuple[list[Item], dict[str, str]]:
    truth = {}
    for line in need(DATA / "gold" / "ar_dev_events.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        truth[f"{row['doc_id']}:{row['index']}"] = row["cluster"]
    items = []
    for line in need(DATA / "gold" / "ar_dev.jsonl").read_text("utf-8").splitlines():
        doc = json.loads(line)
        published = date.fromisoformat(doc["published"]) if doc.get("published") else None
        for index, raw in enumerate(doc["incidents"]):
            record_id = f"{doc['doc_id']}:{index}"
            if record_id in truth:
                item = to_item(record_id, Record.from_dict({**raw, "doc_id": doc["doc_id"]}), published)
                # Gold quotes its evidence without offsets: that text is what the tie-breaker reads.
                item.text = raw.get("evidence_text") or ""
                items.append(item)
    return items, truth


@pytest.fixture(scope="module")
def resolved():
    items, truth = gold()
    clusters = resolve_items(items, tie_break=tie_break, text_bonus=text_bonus)
    predicted = {m.record_id: i for i, c in enumerate(clusters) for m in c.members}
    return items, truth, clusters, predicted


def pairs(groups: dict) -> set[tuple[str, str]]:
    members: dict = {}
    for rid, g in groups.items():
        members.setdefault(g, []).append(rid)
    return {tuple(sorted(p)) for ids in members.values() for p in combinations(ids, 2)}


def test_pairwise_precision_and_recall_on_gold_events(resolved):
    _, truth, _, predicted = resolved
    found, true = pairs(predicted), pairs(truth)
    precision = len(found & true) / len(found)
    recall = len(found & true) / len(true)
    print(f"gold pairwise precision {precision:.3f} recall {recall:.3f}")
    assert precision >= 0.9
    assert recall >= 0.8


def test_the_douma_chemical_attack_is_one_event_across_outlets(resolved):
    _, truth, _, predicted = resolved
    douma = [rid for rid, c in truth.items() if c == "douma-chem-2018-04-07"]
    assert len({rid.split(":")[0] for rid in douma}) >= 5
    assert len({predicted[rid] for rid in douma}) == 1


def test_different_events_on_one_day_in_one_governorate_stay_apart(resolved):
    items, truth, _, predicted = resolved
    by_id = {i.record_id: i for i in items}
    confusers = [
        (a, b)
        for a, b in combinations(sorted(truth), 2)
        if truth[a] != truth[b]
        and by_id[a].day == by_id[b].day
        and by_id[a].admin1 is not None
        and by_id[a].admin1 == by_id[b].admin1
        and a.split(":")[0] != b.split(":")[0]
    ]
    assert len(confusers) >= 10
    merged = [(a, b) for a, b in confusers if predicted[a] == predicted[b]]
    print(f"{len(merged)} of {len(confusers)} same-day same-governorate pairs of different events merged")
    # The Afrin city shelling toll "probably contains" the hospital strike (gold note): a judgement call.
    assert len(merged) <= len(confusers) // 10
    harasta = [rid for rid, c in truth.items() if c == "harasta-wafideen-shelling-2018-04-06"]
    douma = [rid for rid, c in truth.items() if c == "douma-airstrikes-2018-04-06"]
    assert harasta and douma
    assert all(predicted[h] != predicted[d] for h in harasta for d in douma)


def test_a_chemical_attack_and_a_conventional_strike_on_one_town_and_day_are_kept_apart():
    items, truth = gold()
    by_cluster: dict[str, list[Item]] = {}
    for item in items:
        by_cluster.setdefault(truth[item.record_id], []).append(item)
    chem = by_cluster["douma-chem-2018-04-07"][0]
    strike = by_cluster["douma-airstrikes-2018-04-07"][0]
    verdict = score_pair(chem, strike)
    assert verdict.veto and "chemical_weapon" in verdict.veto


def test_every_merge_keeps_a_readable_reason(resolved):
    _, _, clusters, _ = resolved
    for cluster in clusters:
        for member in cluster.members[1:]:
            reason = cluster.reasons[member.record_id]
            assert reason.startswith(("same event as", "analyst merge")), reason
            assert "score" in reason or "analyst" in reason


def test_event_counts_are_the_range_across_sources(resolved):
    _, truth, clusters, predicted = resolved
    friday = [rid for rid, c in truth.items() if c == "douma-airstrikes-2018-04-06"]
    cluster = clusters[predicted[friday[0]]]
    fields = summarize(cluster.members)
    figures = sorted(m.killed for m in cluster.members if m.killed is not None)
    assert fields["n_sources"] == len({m.doc_id for m in cluster.members}) >= 2
    assert fields["killed"]["low"] == figures[0] and fields["killed"]["high"] == figures[-1]
    # No figure has two sources: best is the latest report's.
    latest = max(cluster.members, key=lambda m: (m.published, m.record_id))
    assert fields["killed"]["best"] == latest.killed
