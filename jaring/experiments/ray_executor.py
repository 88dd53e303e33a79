"""`--executor ray`: each trial runs as one Ray task, on a Ray cluster or on a local Ray instance.

The driver keeps the Optuna study (its journal file, or the --storage database): it takes the
queued trials (a TPE search: asks the sampler) and submits each as a task asking for `cpus` CPUs and
`gpus` GPUs, as many at a time as the cluster has CPUs for. A task gets the study file's text and
the study's arrays (put once into Ray's object store), trains in a temporary folder on whichever
node runs it and returns the trial's files (weights included), which the driver writes into
DIR/trials/<key>/ before telling Optuna: no folder is shared. Ray retries a task whose worker died.
jaring must be installed on every node (`pip install 'jaring[ray]'`). Tasks report no epochs back,
so the median pruner does not stop trials early on Ray.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import optuna
from optuna.trial import TrialState

from jaring.experiments import layout
from jaring.experiments.plan import TrialSpec, load_resolved
from jaring.experiments.schema import StudyFile
from jaring.experiments.storage import open_study
from jaring.experiments.trial import run_trial
from jaring.experiments.trial_files import pack, unpack
from jaring.experiments.worker import next_trial, limit_threads


def ray_trial(source_name: str, source_text: str, quick: bool, attrs: dict, data: bytes) -> tuple[dict, dict]:
    """One trial in a Ray worker: its metrics and its packed files (see trial_files)."""
    with tempfile.TemporaryDirectory(prefix="jaring-ray-") as tmp:
        out = Path(tmp)
        (out / source_name).write_text(source_text, encoding="utf-8")
        (out / layout.DATA_CACHE).write_bytes(data)
        s = load_resolved(str(out / source_name), quick)
        limit_threads(1, s.study["arms"])
        spec = TrialSpec.from_user_attrs(attrs)
        metrics = run_trial(s, spec, out)
        return metrics, pack(layout.trial_dir(out, spec.key), weights=True)


def start_ray(address: str | None) -> Any:
    """`ray.init(address=...)` to join a cluster, or a local instance (no dashboard) without one."""
    try:
        import ray
    except ImportError:
        raise RuntimeError("--executor ray needs Ray: pip install 'jaring[ray]'") from None
    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(include_dashboard=False, log_to_driver=False)
    return ray


def run_on_ray(s: StudyFile, quick: bool, out: Path, tpe_search: bool, backend: Any,
               after_trial: Callable[[], None]) -> None:  # fmt: skip
    """Run every queued trial (a TPE search: up to its budget) as Ray tasks; the driver's loop."""
    ray = start_ray(backend.address)
    sampler = optuna.samplers.TPESampler(seed=s.study["sampler_seed"]) if tpe_search else None
    study = open_study(out, s.name, sampler, storage_url=backend.storage)
    task = ray.remote(num_cpus=backend.cpus, num_gpus=backend.gpus)(ray_trial)
    data = ray.put((out / layout.DATA_CACHE).read_bytes())
    text = Path(s.path).read_text(encoding="utf-8")
    slots = max(1, int(ray.cluster_resources().get("CPU", 1) // max(backend.cpus, 1e-9)))
    running: dict[Any, tuple[optuna.Trial, TrialSpec]] = {}
    more = True
    while True:
        while more and len(running) < slots:
            item = next_trial(s, study, tpe_search)
            if item is None:
                more = False
                break
            trial, spec = item
            running[task.remote(Path(s.path).name, text, quick, spec.user_attrs(), data)] = item
        if not running:
            return
        ready, _ = ray.wait(list(running), num_returns=1)
        trial, spec = running.pop(ready[0])
        try:
            metrics, files = ray.get(ready[0])
        except Exception:
            study.tell(trial, state=TrialState.FAIL)
            raise
        unpack(files, layout.trial_dir(out, spec.key))
        study.tell(trial, float(metrics[s.study["metric"]]))
        after_trial()
