"""Fixtures for the workbench tests: a sample knowledge base and an app on it."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from helpers_web import make_client
from sample_kb import build

from rasid.kb.store import Store


@pytest.fixture(scope="session")
def kb_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("kb") / "kb.db"
    ids = build(path)
    with Store(path) as store:
        store.optimize()  # folds the WAL into the file, so one copy is the whole database
    return path, ids


@pytest.fixture()
def kb(kb_template: tuple[Path, dict[str, str]], tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A fresh copy of the sample knowledge base for each test."""
    path = tmp_path / "kb.db"
    shutil.copyfile(kb_template[0], path)
    return path, dict(kb_template[1])


@pytest.fixture()
def ids(kb: tuple[Path, dict[str, str]]) -> dict[str, str]:
    return kb[1]


@pytest.fixture()
def client(kb: tuple[Path, dict[str, str]]) -> Iterator[TestClient]:
    with make_client(kb[0]) as c:
        c.get("/")  # the CSRF cookie
        yield c
