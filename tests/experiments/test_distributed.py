"""A study on a real PostgreSQL server: four `jaring study worker` processes (each with its own
folder, as on separate machines) finish every trial exactly once with the numbers of one local
worker; a worker SIGKILLed mid-trial has its trial queued again and the study still finishes."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import optuna
import pytest
from optuna.trial import TrialState

from jaring.experiments import layout
from jaring.experiments.rdb import GRACE_SECONDS, HEARTBEAT_SECONDS, open_storage
from tests.experiments.services import GRID_TRIALS, ROOT, jaring, postgres_url, results, study_file

pytestmark = pytest.mark.distributed
TIMEOUT = 300


def states(url: str, name: str) -> dict[str, list[TrialState]]:
    found: dict[str, list[TrialState]] = {}
    for t in optuna.load_study(study_name=name, storage=open_storage(url)).get_trials(deepcopy=False):
        if "trial_key" in t.user_attrs:  # not the asks that found the queue already empty
            found.setdefault(t.user_attrs["trial_key"], []).append(t.state)
    return found


def start(args: list[str], log: Path) -> subprocess.Popen:
    """Run `jaring ARGS` with its output in the file `log` (a pipe would fill up with progress bars)."""
    with open(log, "w") as handle:
        proc = subprocess.Popen(jaring(*args), cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
    proc.log = log  # type: ignore[attr-defined]
    return proc


def start_driver(path: Path, url: str, out: Path) -> subprocess.Popen:
    """`jaring study run --workers 0` (it queues the trials and waits), once the study is in the database."""
    driver = start(["study", "run", str(path), "--storage", url, "--workers", "0", "--out", str(out)],
                   path.parent / "driver.log")  # fmt: skip
    storage, deadline = open_storage(url), time.monotonic() + 120
    while path.stem not in optuna.get_all_study_names(storage):
        assert driver.poll() is None, driver.log.read_text()
        assert time.monotonic() < deadline, "the driver did not create the study"
        time.sleep(0.2)
    return driver


def start_worker(path: Path, url: str, out: Path) -> subprocess.Popen:
    return start(["study", "worker", "--storage", url, "--study", path.stem, "--out", str(out)],
                 path.parent / f"{out.name}.log")  # fmt: skip


def finish(procs: list[subprocess.Popen]) -> None:
    try:
        for p in procs:
            p.wait(timeout=TIMEOUT)
            assert p.returncode == 0, p.log.read_text()[-3000:]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()


def test_four_workers_do_every_trial_once_with_the_numbers_of_one(reference, tmp_path: Path):
    url, path = postgres_url(), study_file(tmp_path)
    driver = start_driver(path, url, tmp_path / "driver")
    workers = [start_worker(path, url, tmp_path / f"machine{i}") for i in range(4)]
    finish([*workers, driver])
    found = states(url, path.stem)
    assert len(found) == GRID_TRIALS and all(v == [TrialState.COMPLETE] for v in found.values())
    assert results(tmp_path / "driver") == reference  # every file came back through the database
    ran = [len(layout.completed_trials(tmp_path / f"machine{i}")) for i in range(4)]
    assert sum(ran) == GRID_TRIALS
    assert (tmp_path / "driver" / layout.REPORT_HTML).exists()


def running_trial(folder: Path) -> bool:
    """Whether the worker with `folder` is inside a trial (started it, has not written metrics.json)."""
    return any(not (p.parent / layout.METRICS_JSON).exists()
               for p in (folder / layout.TRIALS_DIR).glob("*/" + layout.PARAMS_JSON))  # fmt: skip


def test_a_worker_killed_mid_trial_has_its_trial_run_again(reference, tmp_path: Path):
    url, path = postgres_url(), study_file(tmp_path)
    driver = start_driver(path, url, tmp_path / "driver")
    victim, other = (start_worker(path, url, tmp_path / name) for name in ("victim", "other"))
    deadline = time.monotonic() + 120
    while not running_trial(tmp_path / "victim"):
        assert time.monotonic() < deadline and victim.poll() is None, "the worker never started a trial"
        time.sleep(0.02)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    killed_at = time.monotonic()
    finish([other, driver])
    found = states(url, path.stem)
    assert len(found) == GRID_TRIALS and all(v.count(TrialState.COMPLETE) == 1 for v in found.values())
    assert [v for v in found.values() if TrialState.FAIL in v], "the killed trial was never failed"
    assert results(tmp_path / "driver") == reference
    assert time.monotonic() - killed_at > GRACE_SECONDS - HEARTBEAT_SECONDS  # it waited for the grace period
