"""The distributed tests' reference: the grid study run once per session by one local worker."""

from pathlib import Path

import pytest

from jaring.experiments.runner import run_study
from tests.experiments.services import results, study_file


@pytest.fixture(scope="session")
def reference(tmp_path_factory) -> dict[str, tuple]:
    """tests.experiments.services.GRID run by one local worker on the journal file: its results."""
    folder: Path = tmp_path_factory.mktemp("reference")
    return results(run_study(study_file(folder), workers=1, out=folder / "out", report=False))
