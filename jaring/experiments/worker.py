"""One worker process: take queued trials from the journal until none is left, run each, tell Optuna.

Workers are processes (spawned, so each has its own interpreter, BLAS and torch state) with
their BLAS and torch threads capped, so N workers use the cores without oversubscribing them.
For a TPE study a worker with nothing queued asks the sampler for the next setting until the
budget is used; with several workers the settings TPE proposes depend on which trials finished
first, so TPE results are reproducible only with one worker.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import signal
import traceback
from collections.abc import Callable
from pathlib import Path

import optuna
from optuna.trial import TrialState
from threadpoolctl import threadpool_limits

from jaring.experiments import layout
from jaring.experiments.plan import (
    TrialSpec,
    load_resolved,
    params_from_choices,
    search_distributions,
    setting_from_params,
)
from jaring.experiments.schema import StudyFile
from jaring.experiments.rdb import fail_stale, heartbeat
from jaring.experiments.storage import has_waiting, open_study, trials_by_state
from jaring.experiments.trial import run_trial
from jaring.experiments.trial_files import pack

PR_SET_PDEATHSIG = 1


def limit_threads(threads: int, arms: list[str]) -> None:
    """Cap BLAS (threadpoolctl) and, when an arm uses it, torch at `threads` threads in this process."""
    threadpool_limits(limits=threads)
    if {"pytorch", "keras"} & set(arms):
        import torch

        torch.set_num_threads(threads)


def _tpe_setting(s: StudyFile, study: optuna.Study, trial: optuna.Trial) -> TrialSpec | None:
    """A new TPE trial's spec, or None when the budget is used up (the trial is then failed)."""
    earlier = [t for t in trials_by_state(study, TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING,
                                          TrialState.WAITING)
               if t.user_attrs.get("phase") == "search" and t.number < trial.number]  # fmt: skip
    if len(earlier) >= s.study["budget"]:
        return None
    choices = {
        name: trial.suggest_categorical(name, d.choices) for name, d in search_distributions(s).items()
    }
    setting = setting_from_params(s, params_from_choices(s, choices), "t")
    spec = TrialSpec(setting, s.study["arms"][0], s.study["seeds"][0], "search")
    for key, value in {**spec.user_attrs(), "choices_json": json.dumps(choices)}.items():
        trial.set_user_attr(key, value)
    return spec


# How many TPE suggestions in a row a worker drops as taken (see _taken) before it stops searching:
# in a small space that TPE has used up, it keeps proposing settings that other workers run.
MAX_TAKEN_IN_A_ROW = 10


def _taken(study: optuna.Study, trial: optuna.Trial, key: str) -> bool:
    """Whether another worker is running trial `key` right now (TPE proposed the same setting to
    both). Each worker writes its trial's key before it reads the others', so of two workers that
    drew the same key at least one sees the other and gives it up: two runs of one key would share
    a folder, and the second would clear the first's files while it writes them."""
    running = trials_by_state(study, TrialState.RUNNING)
    return any(t.number != trial.number and t.user_attrs["trial_key"] == key for t in running)


def _over_budget(s: StudyFile, study: optuna.Study, trial: optuna.Trial) -> bool:
    """Whether the search trials of other workers already fill the budget, read after this trial's
    own attributes were written: two workers that both counted the budget before either wrote its
    trial would both run one past it; of two that write first, at least one sees the other."""
    others = [t for t in trials_by_state(study, TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING,
                                         TrialState.WAITING)
              if t.user_attrs.get("phase") == "search" and t.number != trial.number]  # fmt: skip
    return len(others) >= s.study["budget"]


def next_trial(s: StudyFile, study: optuna.Study, tpe_search: bool) -> tuple[optuna.Trial, TrialSpec] | None:
    taken_in_a_row = 0
    while True:
        fail_stale(study)  # a dead worker's trial (database storage) is queued again first
        if not has_waiting(study) and not tpe_search:
            return None
        trial = study.ask()
        if "trial_key" in trial.user_attrs:
            spec = TrialSpec.from_user_attrs(trial.user_attrs)
            if spec.phase == "search":  # record the setting as Optuna parameters, for its plots
                for name, d in search_distributions(s).items():
                    trial.suggest_categorical(name, d.choices)
            return trial, spec
        spec = _tpe_setting(s, study, trial) if tpe_search else None
        if spec is not None and _taken(study, trial, spec.key):
            study.tell(trial, state=TrialState.FAIL)  # a failed trial does not count in the budget
            taken_in_a_row += 1
            if taken_in_a_row < MAX_TAKEN_IN_A_ROW:
                continue
            return None
        if spec is not None and _over_budget(s, study, trial):
            study.tell(trial, state=TrialState.FAIL)  # another worker's trial took the last place
            return None
        if spec is not None:
            return trial, spec
        study.tell(trial, state=TrialState.FAIL)  # another worker took the last queued trial
        if tpe_search:
            return None


def work(
    s: StudyFile,
    out_dir: Path,
    index: int,
    tpe_search: bool,
    after_trial: Callable[[], None] = lambda: None,
    storage_url: str | None = None,
    weights: bool = False,
) -> None:
    """Run queued trials (and, for a TPE search, new ones) until there are none; the worker's loop.

    `after_trial` is called after each trial (the progress bar, when the loop runs in the main process).
    With a database `storage_url` each trial keeps a heartbeat while it runs, and its files (the
    weights too when `weights`) go into its user attributes, for a driver on another machine.
    """
    sampler = optuna.samplers.TPESampler(seed=s.study["sampler_seed"] + index) if tpe_search else None
    pruner = optuna.pruners.MedianPruner(n_warmup_steps=1) if s.study["pruner"] == "median" else None
    study = open_study(out_dir, s.name, sampler, pruner, storage_url)
    metric = s.study["metric"]
    while (item := next_trial(s, study, tpe_search)) is not None:
        trial, spec = item

        def report(epoch: int, value: float, trial: optuna.Trial = trial, spec: TrialSpec = spec) -> bool:
            if pruner is None or spec.phase != "search":
                return False
            trial.report(value, epoch)
            return trial.should_prune()

        try:
            with heartbeat(study, trial):
                metrics = run_trial(s, spec, out_dir, report)
                if storage_url is not None:
                    for name, part in pack(layout.trial_dir(out_dir, spec.key), weights).items():
                        trial.set_user_attr(name, part)
        except Exception:
            folder = layout.trial_dir(out_dir, spec.key)
            layout.write_bytes_atomic(folder / layout.ERROR_TXT, traceback.format_exc().encode())
            study.tell(trial, state=TrialState.FAIL)
            raise
        if metrics["status"] == "pruned":
            study.tell(trial, state=TrialState.PRUNED)
        else:
            study.tell(trial, float(metrics[metric]))
        after_trial()


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when the run that spawned it dies (a SIGKILL leaves no time to
    clean up), so an orphan never finishes a trial that the next run has already queued again."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent's terminate() still ends workers
        pass


def worker_main(source: str, quick: bool, out_dir: str, index: int, threads: int, tpe_search: bool,
                storage_url: str | None = None, weights: bool = False) -> None:  # fmt: skip
    """Entry point of a spawned worker: re-read the study file, cap threads, work."""
    die_with_parent()
    s = load_resolved(source, quick)
    limit_threads(threads, s.study["arms"])
    work(s, Path(out_dir), index, tpe_search, storage_url=storage_url, weights=weights)
