"""The fast scans find exactly what the plain regex scans find, on real reports and at the edges."""

from __future__ import annotations

import json
import random
import re

from marsad.extract.cues import lexicons
from marsad.text import dates, wordscan
from marsad.text.normalize import fold
from marsad.text.sentences import _END, _ends


def _reports(ant_rows: list[str], n: int) -> list[str]:
    return [fold(json.loads(row)["text"]).text for row in ant_rows[:n] if json.loads(row).get("text")]


def _windows(texts: list[str]) -> list[tuple[str, int, int]]:
    rng = random.Random(0)
    out = []
    for text in texts:
        out.append((text, 0, len(text)))
        for _ in range(4):
            start = rng.randrange(len(text))
            out.append((text, start, min(len(text), start + rng.randint(0, 250))))
    # A letter of another script, an underscore, a dropped mark or a digit right before a phrase.
    for edge in ("éقتل 3", "_قتل", "xقتلى", "3قتلى", "\u064bقتلى", "ـقتلى", "قتلى", " قتل"):
        out += [(edge, 0, len(edge)), (edge, 1, len(edge))]
    return out


def _spans(matches) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in matches]


def test_matcher_scan_equals_plain_finditer(ant_rows):
    windows = _windows(_reports(ant_rows, 40))
    matchers = [m for m in vars(lexicons()).values() if hasattr(m, "regex")]
    assert len(matchers) > 20
    found = 0
    for matcher in matchers:
        for text, pos, end in windows:
            plain = _spans(matcher.regex.finditer(text, pos, end))
            fast = _spans(wordscan.finditer(matcher.regex, matcher._after, text, pos, end))
            assert fast == plain, (matcher.regex.pattern[:60], text[pos:end])
            found += len(plain)
    assert found > 1000  # the reports do name casualties, places and actors


def test_date_pattern_scan_equals_plain_finditer(ant_rows):
    windows = _windows(_reports(ant_rows, 40))
    pats = dates._patterns()
    names = ("explicit", "ordinal", "month_year", "month_only", "year", "weeks", "relative", "weekday")
    found = 0
    for name in names:
        regex = getattr(pats, name)
        for text, pos, end in windows:
            plain = _spans(regex.finditer(text[pos:end]))
            assert _spans(dates._scan(regex, text[pos:end])) == plain, (name, text[pos:end])
            found += len(plain)
    assert found > 50


def test_sentence_ends_equal_plain_finditer(ant_rows):
    texts = _reports(ant_rows, 200)
    rng = random.Random(1)
    texts += ["".join(rng.choice("a5 .!?؟؛\n\"'") for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    for text in texts:
        assert [m.span() for m in _ends(text)] == [m.span() for m in _END.finditer(text)], text


def test_prefilters_equal_the_tests_they_replace(ant_rows):
    """The trie prefilters of number and date scanning say yes exactly where the plain tests did."""
    from marsad.text.numbers import TOKEN, _lex

    lex, pats = _lex(), dates._patterns()
    alternations = {
        "any_month": "[^" + dates._LETTERS + "](?:" + dates._alt(list(pats.month_num)) + ")",
        "any_weekday": dates._alt(list(pats.weekday_num)),
        "any_relative": "[^" + dates._LETTERS + "](?:" + dates._alt(list(pats.relative_days)) + ")",
        "any_weeks": "[^" + dates._LETTERS + "](?:" + dates._alt(list(pats.relative_weeks)) + ")",
    }
    windows = _windows(_reports(ant_rows, 40))
    for text, pos, end in windows:
        window = text[pos:end]
        assert (lex.any_start.search(window) is None) == lex.starts.isdisjoint(TOKEN.findall(window)), window
        for name, plain in alternations.items():
            spaced = " " + window
            assert (getattr(pats, name).search(spaced) is None) == (re.search(plain, spaced) is None), (name, window)


def test_a_word_trie_matches_where_the_alternation_of_its_words_does(ant_rows):
    """text.trie (the casualty gate, the prefilters): the same words as their plain alternation."""
    from marsad.text.trie import trie_regex

    words = sorted({fold(w).text for w in lexicons().killed_nouns.table} | {"قتل", "قتلى", "قتيل", "ا"})
    trie = re.compile(trie_regex(words))
    plain = re.compile("|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words))
    found = 0
    for text, pos, end in _windows(_reports(ant_rows, 40)):
        hit = trie.search(text, pos, end)
        assert (hit is None) == (plain.search(text, pos, end) is None), text[pos:end]
        found += hit is not None
    assert found > 50


def test_number_scan_starts_at_the_first_token_a_number_can_start_at(ant_rows):
    """find_numbers tokenises from `_first_start` on: that is a token's start, and no token before it is
    a digit or a number word (the loop skipped those tokens), on real report windows. (A word opening
    with a digit sign that is not a decimal digit, "²", passes the loop's test but parses to nothing.)"""
    from marsad.text.numbers import TOKEN, _first_start, _lex

    lex = _lex()
    starting = 0
    for text, pos, end in _windows(_reports(ant_rows, 40)):
        window = text[pos:end]
        toks = list(TOKEN.finditer(window))
        can_start = [t.start() for t in toks if t.group(0) in lex.starts or t.group(0)[0].isdecimal()]
        first = _first_start(window, lex)
        assert first == (can_start[0] if can_start else None), window
        starting += first is not None and first > 0
    assert starting > 50  # most windows have words before their first figure
