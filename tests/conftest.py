"""Shared fixtures: the tiered test data gate for ``../shared``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("RASID_SHARED", REPO.parent / "shared"))


def _require(path: Path, what: str) -> Path:
    if path.exists():
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing at {path}; CI must run with ../shared beside the repo")
    pytest.skip(f"{what} not available at {path} (needs ../shared beside the repo)")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return _require(SHARED, "../shared")


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return _require(SHARED / "examples", "../shared/examples")


@pytest.fixture(scope="session")
def news_path() -> Path:
    return _require(
        SHARED / "data" / "news" / "ant-v2.1-non-middle-east.jsonl.gz", "the ANT news corpus"
    )


@pytest.fixture(scope="session")
def anercorp_train() -> Path:
    return _require(SHARED / "data" / "anercorp" / "train.txt", "ANERcorp train.txt")


@pytest.fixture(scope="session")
def wojood_dir() -> Path:
    return _require(SHARED / "data" / "wojood_sample", "the Wojood sample")
