"""The study's Optuna journal (DIR/journal.log): open it, lock it, recover from a killed run, enqueue.

Resume rule: a trial that finished (COMPLETE or PRUNED) never runs again. A trial left RUNNING by
a dead run is closed: as COMPLETE when its metrics.json was already written (it died just before
telling Optuna), otherwise as FAIL, and its work is queued again. Only one run may use a DIR at a
time (an flock on DIR/.lock, released by the kernel when the holder dies, even by SIGKILL).
"""

from __future__ import annotations

import fcntl
import json
from pathlib import Path
from typing import Any

import optuna
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend
from optuna.trial import TrialState

from jaring.experiments import layout
from jaring.experiments.plan import TrialSpec

DONE = (TrialState.COMPLETE, TrialState.PRUNED)


class StudyLockedError(RuntimeError):
    """Another live run holds the study folder."""


def open_study(
    out_dir: Path, name: str, sampler: Any = None, pruner: Any = None, storage_url: str | None = None
) -> optuna.Study:
    """The folder's Optuna study (created on first use), stored in its journal file, or the existing
    study `name` in the database at `storage_url` (see jaring.experiments.rdb)."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    if storage_url is not None:
        from jaring.experiments.rdb import load_study

        return load_study(storage_url, name, sampler, pruner)
    storage = JournalStorage(JournalFileBackend(str(out_dir / layout.JOURNAL)))
    return optuna.create_study(study_name=name, storage=storage, load_if_exists=True, direction="maximize",
                               sampler=sampler, pruner=pruner)  # fmt: skip


class FolderLock:
    """An exclusive lock on DIR for the lifetime of one `jaring study run`."""

    def __init__(self, out_dir: Path) -> None:
        self.path, self.handle = out_dir / ".lock", None

    def __enter__(self) -> FolderLock:
        self.handle = open(self.path, "a+")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise StudyLockedError(
                f"{self.path.parent}: another `jaring study run` is using this folder"
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def trials_by_state(study: optuna.Study, *states: TrialState) -> list[optuna.trial.FrozenTrial]:
    """The study's trials in `states` that belong to a planned (setting, arm, seed)."""
    return [t for t in study.get_trials(deepcopy=False, states=states) if "trial_key" in t.user_attrs]


def done_keys(study: optuna.Study) -> set[str]:
    return {t.user_attrs["trial_key"] for t in trials_by_state(study, *DONE)}


def enqueue(study: optuna.Study, spec: TrialSpec, choices: dict | None = None) -> None:
    """Queue `spec`; `choices` are the Optuna parameter values of a search setting (for its plots)."""
    attrs = {**spec.user_attrs(), "choices_json": json.dumps(choices or {})}
    study.enqueue_trial(params=choices or {}, user_attrs=attrs, skip_if_exists=False)


def recover(study: optuna.Study, out_dir: Path, metric: str) -> int:
    """Close the RUNNING trials of a dead run (see the module docstring); returns how many were re-queued."""
    requeued = 0
    for t in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        attrs = t.user_attrs
        if "trial_key" not in attrs:
            study.tell(t.number, state=TrialState.FAIL)
            continue
        metrics_path = layout.trial_dir(out_dir, attrs["trial_key"]) / layout.METRICS_JSON
        if metrics_path.exists():
            metrics = layout.read_json(metrics_path)
            if metrics.get("status") == "pruned":
                study.tell(t.number, state=TrialState.PRUNED)
            else:
                study.tell(t.number, float(metrics[metric]))
            continue
        study.tell(t.number, state=TrialState.FAIL)
        enqueue(study, TrialSpec.from_user_attrs(attrs), json.loads(attrs.get("choices_json", "{}")))
        requeued += 1
    return requeued


def enqueue_missing(study: optuna.Study, specs: list[TrialSpec], choices: dict[str, dict]) -> int:
    """Queue every spec that is neither finished nor already waiting or running (a database storage's
    other workers may be running some); returns how many were queued."""
    done = done_keys(study)
    taken = trials_by_state(study, TrialState.WAITING, TrialState.RUNNING)
    waiting = {t.user_attrs["trial_key"] for t in taken}
    queued = 0
    for spec in specs:
        if spec.key not in done and spec.key not in waiting:
            enqueue(study, spec, choices.get(spec.setting.id))
            waiting.add(spec.key)
            queued += 1
    return queued


def has_waiting(study: optuna.Study) -> bool:
    return bool(study.get_trials(deepcopy=False, states=(TrialState.WAITING,)))


def worker_threads(workers: int) -> int:
    """BLAS/torch threads per worker: one, whatever `workers` is.

    N workers then use N cores without oversubscribing them, and every trial computes with the
    same thread count, so its numbers do not depend on --workers (a GEMM split over a different
    number of threads may round differently).
    """
    return 1
