"""A study whose trials live in a database server: the driver's side, `jaring study worker`, and
`jaring study report --storage`.

The driver (`jaring study run FILE --storage URL`) writes the study's description into the storage,
queues the trials, runs its own --workers (0 is allowed: it only waits), waits until every queued
trial is done by some worker, then copies every trial's files from the storage into its --out and
writes the report. A worker (`jaring study worker --storage URL --study NAME`, on any machine)
needs no shared folder: it reads the study file from the storage, runs queued trials into its own
folder, sends their files back through the storage, and exits once the driver marks the study
finished.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import optuna
from optuna.trial import TrialState

from jaring.experiments import layout, rdb
from jaring.experiments.data import load_study_data, save_study_data
from jaring.experiments.models import data_layout
from jaring.experiments.plan import load_resolved
from jaring.experiments.schema import StudyFile, StudyFileError
from jaring.experiments.storage import DONE, done_keys, has_waiting, trials_by_state
from jaring.experiments.trial_files import has_files, unpack
from jaring.experiments.worker import limit_threads, work

POLL_SECONDS = 1.0
IDLE_POLLS = 3  # nothing queued or running this many polls in a row: the remaining trials failed


def publish(url: str, s: StudyFile, quick: bool, fingerprint: str, study_json: dict) -> optuna.Study:
    """Create (or reopen) the study in the storage with what a worker needs to run its trials."""
    study = rdb.create_study(url, s.name)
    old = study.user_attrs.get(rdb.FINGERPRINT_ATTR)
    if old is not None and old != fingerprint:
        raise StudyFileError(f"{rdb.safe_url(url)} holds study {s.name!r} with other settings than {s.path} "
                             "now has; give the study file another name or delete that study "
                             "(optuna delete-study)")  # fmt: skip
    attrs = {rdb.SOURCE_ATTR: Path(s.path).read_text(encoding="utf-8"), rdb.FILE_NAME_ATTR: Path(s.path).name,
             rdb.QUICK_ATTR: quick, rdb.FINGERPRINT_ATTR: fingerprint, rdb.STUDY_JSON_ATTR: study_json,
             rdb.FINISHED_ATTR: False}  # fmt: skip
    for key, value in attrs.items():
        study.set_user_attr(key, value)
    return study


def finish(study: optuna.Study, study_json: dict) -> None:
    study.set_user_attr(rdb.STUDY_JSON_ATTR, study_json)
    study.set_user_attr(rdb.FINISHED_ATTR, True)


def wait_for_trials(study: optuna.Study, keys: set[str] | None, run_queued: Callable[[], None] | None,
                    after_poll: Callable[[], None]) -> None:  # fmt: skip
    """Wait until every trial in `keys` is done (keys None: until nothing is queued or running).

    Dead workers' trials are failed and queued again meanwhile; `run_queued` (the driver's own
    workers, when it has any) takes queued trials. Raises when trials are missing but nothing is
    queued or running for IDLE_POLLS polls: they failed (see the workers' output and error.txt).
    """
    idle = 0
    while True:
        rdb.fail_stale(study)
        if keys is not None and keys <= done_keys(study):
            return
        if run_queued is not None and has_waiting(study):
            run_queued()
        busy = study.get_trials(deepcopy=False, states=(TrialState.WAITING, TrialState.RUNNING))
        idle = 0 if busy else idle + 1
        if keys is None and idle >= 2:
            return
        if idle >= IDLE_POLLS:
            missing = sorted((keys or set()) - done_keys(study))
            raise RuntimeError(f"{len(missing)} trials failed and none is queued or running: {missing[:5]}; "
                               "the workers' output and their trial folders' error.txt say why; "
                               "run the same command again to queue them again")  # fmt: skip
        after_poll()
        time.sleep(POLL_SECONDS)


def download(study: optuna.Study, out: Path) -> int:
    """Copy the files of every finished trial missing from `out` out of the storage; returns how many."""
    copied = 0
    for t in trials_by_state(study, *DONE):
        folder = layout.trial_dir(out, t.user_attrs["trial_key"])
        if has_files(t.user_attrs) and not (folder / layout.METRICS_JSON).exists():
            unpack(t.user_attrs, folder)
            copied += 1
    return copied


def report_from_storage(url: str, name: str, out: str | Path | None = None) -> Path:
    """Write study `name`'s study.json and trial folders from the storage into `out`, then its report."""
    from jaring.experiments.report import write_report

    study = rdb.load_study(url, name)
    out = Path(out) if out is not None else Path("runs") / "studies" / name
    layout.write_json_atomic(out / layout.STUDY_JSON, study.user_attrs[rdb.STUDY_JSON_ATTR])
    download(study, out)
    return write_report(out)


def run_worker(url: str, name: str, out: str | Path | None = None, weights: bool = False) -> int:
    """`jaring study worker`: run the study's queued trials until the driver marks it finished.

    Returns how many trials this worker finished.
    """
    study = rdb.load_study(url, name)
    attrs = study.user_attrs
    out = Path(out) if out is not None else Path("runs") / "studies" / name
    source = out / attrs[rdb.FILE_NAME_ATTR]
    layout.write_bytes_atomic(source, attrs[rdb.SOURCE_ATTR].encode("utf-8"))
    s = load_resolved(str(source), bool(attrs[rdb.QUICK_ATTR]))
    if not (out / layout.DATA_CACHE).exists():
        save_study_data(out / layout.DATA_CACHE, load_study_data(s.data, data_layout(s)))
    limit_threads(1, s.study["arms"])
    finished = 0

    def count() -> None:
        nonlocal finished
        finished += 1

    while not study.user_attrs.get(rdb.FINISHED_ATTR):
        work(s, out, 0, False, count, storage_url=url, weights=weights)
        time.sleep(POLL_SECONDS)
    return finished
