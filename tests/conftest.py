"""Shared fixtures: the real data beside the repo (../shared), skipped with a reason when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA = SHARED / "data"
SEED = SHARED / "seeds" / "000_02831fab9d5b23bb.txt"
ANT = DATA / "articles" / "ant_syria_iraq_2018.jsonl"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real data not found at {path} (expected ../shared beside the repo)")
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return need(SEED)


@pytest.fixture(scope="session")
def ant_path() -> Path:
    return need(ANT)


@pytest.fixture(scope="session")
def ant_rows(ant_path) -> list[str]:
    return ant_path.read_text(encoding="utf-8").splitlines()
