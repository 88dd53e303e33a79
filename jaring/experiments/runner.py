"""`run_study`: check the study file, plan its trials, run them in worker processes, write the report.

Running the same command again continues the study in DIR (see jaring.experiments.storage);
a DIR that holds a different study is refused before anything runs.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import optuna
from optuna.trial import TrialState
from tqdm import tqdm

from jaring.experiments import layout
from jaring.experiments.checks import check_settings_build
from jaring.experiments.data import save_study_data
from jaring.experiments.distributed import download, finish, publish, wait_for_trials
from jaring.experiments.plan import (
    Setting,
    TrialSpec,
    check_published,
    load_resolved,
    main_trials,
    planned_settings,
    retrain_trials,
    search_distributions,
    search_trials,
)
from jaring.experiments.rdb import check_url
from jaring.experiments.schema import METRICS, StudyFile, StudyFileError
from jaring.experiments.storage import (
    FolderLock,
    done_keys,
    enqueue_missing,
    open_study,
    recover,
    trials_by_state,
    worker_threads,
)
from jaring.experiments.worker import limit_threads, work, worker_main

POLL_SECONDS = 0.5


def default_out_dir(s: StudyFile) -> Path:
    return Path("runs") / "studies" / s.name


# Keys of [study] that never change a finished trial's numbers: the words, and the lists a user grows.
_WORDING = ("title", "published_note")


def fingerprint(s: StudyFile, quick: bool) -> str:
    """A hash of everything that changes a finished trial's numbers; a DIR only continues the same study.

    More seeds or arms only add trials (each has its own key), so they are left out, except the first
    seed and arm: a search runs its first phase with those.
    """
    study = {k: v for k, v in s.study.items() if k not in _WORDING}
    study["seeds"], study["arms"] = s.study["seeds"][:1], s.study["arms"][:1]
    sections = [study, s.model, s.data, s.train, s.factors, s.baseline, quick]
    return hashlib.sha1(json.dumps(sections, sort_keys=True, default=str).encode()).hexdigest()[:16]


def study_json(s: StudyFile, quick: bool, settings: list[Setting], top: list[str]) -> dict:
    metric = s.study["metric"]
    return {
        "name": s.name, "title": s.study["title"], "report_id": s.study["report"], "kind": s.study["kind"],
        "metric": metric, "metric_label": METRICS[metric],
        "metric_scale": 100 if metric == "test_accuracy" else 1,
        "direction": "maximize", "arms": s.study["arms"], "factors": s.factors, "baseline": s.baseline,
        "settings": [x.to_json() for x in settings], "seeds": s.study["seeds"], "published": s.published,
        "published_note": s.study["published_note"], "histogram_layers": s.report["histogram_layers"],
        "quick": quick, "storage": layout.JOURNAL, "optuna_study_name": s.name, "source": str(s.path),
        "top_k": s.study["top_k"], "top_settings": top, "fingerprint": fingerprint(s, quick),
        "data": s.data, "train": s.train, "model": s.model,
    }  # fmt: skip


def check_out_dir(out: Path, s: StudyFile, quick: bool) -> None:
    """Refuse a DIR that holds another study, or this study with other settings."""
    path = out / layout.STUDY_JSON
    if not path.exists():
        if (out / layout.JOURNAL).exists():
            raise StudyFileError(f"{out}: has a journal but no {layout.STUDY_JSON}; it is not a study folder "
                                 "this runner wrote, choose another --out")  # fmt: skip
        return
    old = layout.read_json(path)
    if old.get("name") != s.name:
        raise StudyFileError(f"{out} holds study {old.get('name')!r} (from {old.get('source')}), "
                             f"not {s.name!r}; "
                             "choose another --out or delete that folder")  # fmt: skip
    if old.get("fingerprint") != fingerprint(s, quick):
        was = "a --quick run" if old.get("quick") else "a full run"
        raise StudyFileError(f"{out} holds {was} of {s.name!r} with other settings than {s.path} now has; "
                             "choose another --out or delete that folder")  # fmt: skip


def _settings_from_journal(study: optuna.Study, planned: list[Setting]) -> list[Setting]:
    """Planned settings, then any the TPE sampler added, in trial order."""
    seen = {x.id: x for x in planned}
    for t in trials_by_state(study, *TrialState):
        spec = TrialSpec.from_user_attrs(t.user_attrs)
        seen.setdefault(spec.setting.id, spec.setting)
    return list(seen.values())


def ranked_settings(study: optuna.Study, settings: list[Setting]) -> list[Setting]:
    """Search settings, best mean search-phase metric first (ties keep the planned order)."""
    values: dict[str, list[float]] = {}
    for t in trials_by_state(study, TrialState.COMPLETE):
        if t.user_attrs.get("phase") == "search":
            values.setdefault(t.user_attrs["setting_id"], []).append(t.value)
    scored = [x for x in settings if x.id in values]
    return sorted(scored, key=lambda x: -sum(values[x.id]) / len(values[x.id]))


def _progress(study: optuna.Study, keys: set[str] | None, total: int, title: str) -> Callable[[], None]:
    bar = tqdm(total=total, desc=title, unit="trial", leave=True)

    def update() -> None:
        done = [t for t in trials_by_state(study, TrialState.COMPLETE)
                if keys is None or t.user_attrs["trial_key"] in keys]  # fmt: skip
        bar.n = min(len(done), total)
        if done:
            bar.set_postfix_str(f"best {max(t.value for t in done):.4f}", refresh=False)
        bar.refresh()

    update.close = bar.close  # type: ignore[attr-defined]
    return update


# Imported once by the fork server, so each worker starts without paying for torch, scikit-learn
# or Keras again; the arms a study does not use are not imported.
PRELOAD = [
    "jaring.experiments.server_guard",
    "jaring.experiments.worker",
    "jaring.experiments.arms.jaring_arm",
]
ARM_MODULES = {
    "pytorch": "jaring.experiments.arms.torch_arm",
    "sklearn": "jaring.experiments.arms.sklearn_arm",
    "keras": "jaring.experiments.arms.keras_arm",
}


def worker_context(arms: list[str]) -> multiprocessing.context.BaseContext:
    """Workers are forked from a fork server: fresh processes (no state of this one), started quickly.

    The server imports the worker modules once and lives as long as this process, so the many short
    studies of a test session or a notebook do not import torch once per worker and study. Its
    imports are fixed when it starts (the arms asked for by every call until then); a later study's
    other arms are imported by its own workers.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    for arm in arms:
        if arm in ARM_MODULES and ARM_MODULES[arm] not in PRELOAD:
            PRELOAD.append(ARM_MODULES[arm])
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def run_phase(source: str, quick: bool, s: StudyFile, out: Path, workers: int, tpe_search: bool,
              keys: set[str] | None, total: int, title: str, backend: Backend) -> None:  # fmt: skip
    """Run every queued trial (a TPE search: up to its budget) in `workers` processes, or on Ray;
    with a database storage, then wait for other machines' workers to finish theirs."""
    study = open_study(out, s.name, storage_url=backend.storage)
    update = _progress(study, keys, total, title)
    threads = worker_threads(workers)
    try:
        if backend.executor == "ray":
            from jaring.experiments.ray_executor import run_on_ray

            run_on_ray(s, quick, out, tpe_search, backend, update)
        elif workers == 1:
            limit_threads(threads, s.study["arms"])
            work(s, out, 0, tpe_search, update, backend.storage)
        elif workers > 1:
            _run_processes(source, quick, s, out, workers, tpe_search, backend, update)
        if backend.storage is not None:
            local = (lambda: work(s, out, 0, False, update, backend.storage)) if workers else None
            wait_for_trials(study, keys, local, update)
        update()
    finally:
        update.close()  # type: ignore[attr-defined]


def _run_processes(source: str, quick: bool, s: StudyFile, out: Path, workers: int, tpe_search: bool,
                   backend: Backend, update: Callable[[], None]) -> None:  # fmt: skip
    context = worker_context(s.study["arms"])
    args = (source, quick, str(out))
    procs = [context.Process(target=worker_main,
                             args=(*args, i, worker_threads(workers), tpe_search, backend.storage))
             for i in range(workers)]  # fmt: skip
    for p in procs:
        p.start()
    try:
        while any(p.is_alive() for p in procs):
            update()
            time.sleep(POLL_SECONDS)
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
            p.join()
    failed = [p.exitcode for p in procs if p.exitcode]
    if failed:
        raise RuntimeError(f"{len(failed)} worker(s) failed (exit codes {failed}); the trial folders "
                           f"under {out / layout.TRIALS_DIR} hold error.txt; "
                           "run again to continue")  # fmt: skip


@dataclass(frozen=True)
class Backend:
    """Where trials are stored and run: `storage` a database URL (None: DIR/journal.log); `executor`
    "local" (worker processes) or "ray" (Ray tasks, on the cluster at `address`, or a local instance),
    each asking for `cpus` CPUs and `gpus` GPUs."""

    storage: str | None = None
    executor: str = "local"
    address: str | None = None
    cpus: float = 1.0
    gpus: float = 0.0


def run_study(path: str | Path, quick: bool = False, workers: int = 1, out: str | Path | None = None,
              report: bool = True, backend: Backend | None = None) -> Path:  # fmt: skip
    """Run (or continue) the study in file `path`; returns the study folder.

    `quick` shrinks the study to a smoke run (a small subset, one epoch, one seed, two values a
    factor); `workers` trials run at once, each in its own process (1: in this process); `out` is
    the study folder (default: runs/studies/NAME); `report` writes the report into it at the end
    (see write_report). `backend` (default: the journal file and local worker processes) puts the
    trials in a database shared by workers on other machines, or runs them on Ray (see Backend).
    Raises StudyFileError before anything trains when the file, or a setting's model, is wrong, or
    when `out` holds another study.

    Examples:
        Two learning rates for an FFNN on scikit-learn's bundled digits (no download), in quick mode:

        >>> from pathlib import Path
        >>> from jaring.experiments.runner import run_study
        >>> _ = Path("tiny.toml").write_text('''
        ... model = { ready = "FFNN" }
        ... data = { dataset = "digits" }
        ... train = { optimizer = "adam", lr = 0.01, batch_size = 32, epochs = 1 }
        ... factors = { lr = [0.01, 0.1] }
        ... [study]
        ... title = "Tiny"
        ... report = "000"
        ... kind = "grid"
        ... metric = "test_accuracy"
        ... seeds = [0]
        ... arms = ["jaring"]
        ... ''')
        >>> out = run_study("tiny.toml", quick=True, workers=1, out="tiny")
        >>> sorted(p.name for p in out.iterdir())
        ['.lock', 'data.npz', 'figures', 'journal.log', 'report.html', 'report.md', 'results.csv',
         'study.json', 'trials']
        >>> sorted(p.name for p in (out / "trials").iterdir())  # setting, arm, seed
        ['s00__jaring__s0', 's01__jaring__s0']

        The same call again continues the study: its two trials are done, so nothing trains.

        >>> run_study("tiny.toml", quick=True, workers=1, out="tiny", report=False) == out
        True
    """
    source = str(path)
    s = load_resolved(source, quick)
    backend = backend or Backend()
    if backend.executor not in ("local", "ray"):
        raise ValueError(f"executor must be 'local' or 'ray', got {backend.executor!r}")
    if workers < (0 if backend.storage else 1):
        raise ValueError(f"workers must be an integer >= 1 (>= 0 with a storage), got {workers!r}")
    if backend.storage is not None:
        check_url(backend.storage)
    settings = planned_settings(s)
    full = load_resolved(source, False)
    check_published(full, planned_settings(full) if quick else settings)
    out = Path(out) if out is not None else default_out_dir(s)
    check_out_dir(out, s, quick)
    data = check_settings_build(s, settings)
    out.mkdir(parents=True, exist_ok=True)
    with FolderLock(out):
        layout.write_json_atomic(out / layout.STUDY_JSON, study_json(s, quick, settings, []))
        if not (out / layout.DATA_CACHE).exists():
            save_study_data(out / layout.DATA_CACHE, data)
        if backend.storage is None:
            study = open_study(out, s.name)
            recover(study, out, s.study["metric"])
        else:
            described = study_json(s, quick, settings, [])
            study = publish(backend.storage, s, quick, fingerprint(s, quick), described)
        kind = s.study["kind"]
        if kind in ("oat", "grid"):
            specs = main_trials(s, settings)
            enqueue_missing(study, specs, {})
            keys = {x.key for x in specs}
            run_phase(source, quick, s, out, workers, False, keys, len(specs), s.name, backend)
            top: list[str] = []
        else:
            labels = {n: d.choices for n, d in search_distributions(s).items()}
            choices = {
                x.id: {n: labels[n][s.factors[n].index(v)] for n, v in x.params.items()} for x in settings
            }
            if kind == "random":
                specs = search_trials(s, settings)
                enqueue_missing(study, specs, choices)
                run_phase(source, quick, s, out, workers, False, {x.key for x in specs}, len(specs),
                          f"{s.name} search", backend)  # fmt: skip
            else:
                run_phase(source, quick, s, out, workers, True, None, s.study["budget"], f"{s.name} search",
                          backend)  # fmt: skip
            settings = _settings_from_journal(study, settings)
            ranked = ranked_settings(study, settings)
            top = [x.id for x in ranked[: s.study["top_k"]]]
            retrain = retrain_trials(s, ranked)
            choices = {
                x.id: {n: labels[n][s.factors[n].index(v)] for n, v in x.params.items()} for x in settings
            }
            enqueue_missing(study, retrain, choices)
            run_phase(source, quick, s, out, workers, False, {x.key for x in retrain}, len(retrain),
                      f"{s.name} top-{s.study['top_k']}", backend)  # fmt: skip
        layout.write_json_atomic(out / layout.STUDY_JSON, study_json(s, quick, settings, top))
        if backend.storage is not None:
            download(study, out)
            finish(study, study_json(s, quick, settings, top))
        missing = {x.key for x in (specs if kind in ("oat", "grid") else [])} - done_keys(study)
        if missing:
            raise RuntimeError(f"{len(missing)} trials did not finish: {sorted(missing)[:5]}...")
    if report:
        from jaring.experiments.report import write_report

        write_report(out)
    return out
