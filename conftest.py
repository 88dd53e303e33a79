"""Repository-wide pytest setup: docstring examples (doctests in jaring/) run in a fresh temporary
folder, so an example that saves a file leaves nothing behind."""

import pytest
from _pytest.doctest import DoctestItem


@pytest.fixture(autouse=True)
def _doctests_run_in_a_temporary_folder(request: pytest.FixtureRequest) -> None:
    # The temporary folder is asked for only by doctests: making one for each of the thousands of
    # other tests would cost a directory and its clean-up apiece.
    if isinstance(request.node, DoctestItem):
        tmp_path = request.getfixturevalue("tmp_path")
        request.getfixturevalue("monkeypatch").chdir(tmp_path)
