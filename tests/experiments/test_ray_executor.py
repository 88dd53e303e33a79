"""--executor ray on a local Ray instance (2 CPUs): the same numbers as local workers, and every
trial's files written into the driver's folder from what the tasks return."""

from __future__ import annotations

from pathlib import Path

import pytest

from jaring.experiments import layout
from jaring.experiments.runner import Backend, run_study
from tests.experiments.services import GRID_TRIALS, ray_module, results, study_file

pytestmark = pytest.mark.distributed


@pytest.fixture(scope="module")
def local_ray():
    ray = ray_module()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def test_ray_tasks_give_the_numbers_of_local_workers(reference, local_ray, tmp_path: Path):
    out = run_study(study_file(tmp_path), out=tmp_path / "out", report=False, backend=Backend(executor="ray"))
    assert results(out) == reference and len(reference) == GRID_TRIALS
    assert all((t["path"] / layout.WEIGHTS).exists() for t in layout.completed_trials(out))
