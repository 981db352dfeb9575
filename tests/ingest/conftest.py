"""Fixtures for the ingest tests: fixture files and a reader that splits results."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from rasid.ingest.base import ReadFailure
from rasid.ingest.readers import iter_inputs
from rasid.model import Document

Results = tuple[list[Document], list[ReadFailure]]


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return Path(__file__).resolve().parents[1] / "data" / "ingest"


def _read_all(inputs: Iterable[str | Path], **kwargs: Any) -> Results:
    docs: list[Document] = []
    failures: list[ReadFailure] = []
    for result in iter_inputs([str(i) for i in inputs], **kwargs):
        if isinstance(result, ReadFailure):
            failures.append(result)
        else:
            docs.append(result)
    return docs, failures


def _read_one(path: str | Path, **kwargs: Any) -> Document | ReadFailure:
    results = list(iter_inputs([str(path)], **kwargs))
    assert len(results) == 1, results
    return results[0]


@pytest.fixture
def read_all() -> Callable[..., Results]:
    """``read_all(inputs, **iter_inputs_kwargs) -> (documents, failures)``."""
    return _read_all


@pytest.fixture
def read_one() -> Callable[..., Document | ReadFailure]:
    """``read_one(path)``: the single result an input gives."""
    return _read_one
