"""Repository-wide pytest setup: docstring examples (doctests in jaring/) run in a fresh temporary
folder, so an example that saves a file leaves nothing behind."""

import pytest
from _pytest.doctest import DoctestItem


@pytest.fixture(autouse=True)
def _doctests_run_in_a_temporary_folder(request: pytest.FixtureRequest, tmp_path, monkeypatch) -> None:
    if isinstance(request.node, DoctestItem):
        monkeypatch.chdir(tmp_path)
