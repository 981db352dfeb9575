"""The export tests use the workbench's sample knowledge base (tests/web/sample_kb.py)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "rasid_tests_sample_kb", Path(__file__).parents[1] / "web" / "sample_kb.py"
)
assert _spec is not None and _spec.loader is not None
sample_kb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sample_kb)


@pytest.fixture(scope="session")
def export_kb_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    from rasid.kb.store import Store

    path = tmp_path_factory.mktemp("export-kb") / "kb.db"
    ids = sample_kb.build(path)
    with Store(path) as store:
        store.optimize()
    return path, ids


@pytest.fixture()
def export_kb(
    export_kb_template: tuple[Path, dict[str, str]], tmp_path: Path
) -> tuple[Path, dict[str, str]]:
    path = tmp_path / "kb.db"
    shutil.copyfile(export_kb_template[0], path)
    return path, dict(export_kb_template[1])
