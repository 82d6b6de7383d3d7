"""Extraction time of long documents: is it linear in text length?

    python benchmarks/bench_long.py [--sizes 13,26,52,104] [--realistic-mb 1]

Two inputs. "repeated" is the worst case the issue found quadratic: one endless sentence of
`قتل 5 مدنيين` (every word a mention). "realistic" is reports of the ANT corpus joined into one
document of about 1 MB. Each is timed in CPU seconds of this process (the machine is shared).
A linear extractor keeps seconds/KB about constant as the size doubles.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "articles" / "ant_syria_iraq_2018.jsonl"
PHRASE = "قتل 5 مدنيين "


def realistic_text(size: int) -> str:
    """Reports of the ANT corpus (title and body) joined until `size` characters."""
    parts: list[str] = []
    total = 0
    with open(CORPUS, encoding="utf-8") as handle:
        while total < size:
            for line in handle:
                row = json.loads(line)
                part = f"{row.get('title') or ''}\n{row.get('text') or ''}\n\n"
                parts.append(part)
                total += len(part)
                if total >= size:
                    break
            handle.seek(0)
    return "".join(parts)[:size]


def timed(text: str) -> tuple[float, int]:
    from marsad.extract import extract
    from marsad.model import Document

    doc = Document(doc_id="long", text=text, published=date(2018, 5, 6))
    start = time.process_time()
    records = extract(doc)
    return time.process_time() - start, len(records)


def report(label: str, text: str) -> None:
    seconds, records = timed(text)
    size_kb = len(text.encode()) / 1024
    print(f"{label:9} {size_kb:8.0f} KB  {seconds:7.2f} s  {1000 * seconds / size_kb:6.2f} ms/KB  {records} records")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="13,26,52,104", help="KB of the repeated phrase, comma-separated")
    parser.add_argument("--realistic-mb", type=float, default=1.0, help="MB of joined corpus reports (0: skip)")
    args = parser.parse_args()
    timed("قتل 5 مدنيين")  # warm up: lexicons, gazetteer and dateparser load once per process
    for kb in (int(s) for s in args.sizes.split(",") if s):
        text = (PHRASE * (kb * 1024 // len(PHRASE.encode()) + 1))[: kb * 1024 // 2 * 2]
        report("repeated", text)
    if args.realistic_mb and CORPUS.exists():
        text = realistic_text(int(args.realistic_mb * 1024 * 1024 / 1.8))  # Arabic: ~1.8 bytes a character
        report("realistic", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
