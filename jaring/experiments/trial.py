"""Run one trial and write its folder: params, history, histograms, weights, then metrics (last).

metrics.json is written last, so a folder counts as complete exactly when it exists; every file
goes through layout's atomic writes, so a kill leaves whole files or none.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.numpy import save as safetensors_bytes

from jaring.experiments import layout
from jaring.experiments.arms import ArmRun, arm_trainer
from jaring.experiments.data import load_study_data, read_study_data
from jaring.experiments.models import data_layout, resolve
from jaring.experiments.plan import TrialSpec
from jaring.experiments.schema import StudyFile

BINS = 40


def _numpy(value: Any) -> np.ndarray:
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value, dtype=np.float64)


def _histogram(values: np.ndarray) -> dict:
    counts, edges = np.histogram(values.ravel(), bins=BINS)
    return {"counts": counts.tolist(), "edges": edges.tolist()}


def layer_weights(model: Any) -> dict[str, Any]:
    """{name: Parameter} of every weight matrix or kernel (every parameter with two or more axes).

    A layer's "weight" goes by the layer's name ("layers.0"); other matrices, such as a recurrent
    layer's input and hidden weights, by their full name ("recurrent.0.weight_ih").
    """
    weights = {}
    for name, p in model.named_parameters():
        if len(p.shape) >= 2:
            weights[name[: -len(".weight")] if name.endswith(".weight") else name] = p
    return weights


def histograms(model: Any, wanted: list[str] | str) -> dict:
    """Weight and last-batch gradient histograms of the wanted layers ("all": every weighted layer)."""
    weights = layer_weights(model)
    names = list(weights) if wanted == "all" else [n for n in wanted if n in weights]
    out = {}
    for name in names:
        param = weights[name]
        entry = {"weight": _histogram(_numpy(param))}
        if param.grad is not None:
            entry["grad"] = _histogram(_numpy(param.grad))
        out[name] = entry
    return out


def write_weights(path: Path, model: Any) -> None:
    tensors = {name: np.ascontiguousarray(p.numpy()) for name, p in model.named_parameters()}
    layout.write_bytes_atomic(path, safetensors_bytes(tensors))


def run_trial(
    s: StudyFile, spec: TrialSpec, out_dir: Path, report: Callable[[int, float], bool] | None = None
) -> dict:
    """Train `spec` and write its folder under `out_dir`; returns its metrics (with "status")."""
    folder = layout.trial_dir(out_dir, spec.key)
    if folder.exists() and not (folder / layout.METRICS_JSON).exists():
        shutil.rmtree(folder)  # left half-written by a killed run: start it clean
    layout.write_json_atomic(folder / layout.PARAMS_JSON, {
        "trial_key": spec.key, "arm": spec.arm, "setting_id": spec.setting.id, "label": spec.setting.label,
        "params": spec.setting.params, "seed": spec.seed, "phase": spec.phase,
    })  # fmt: skip
    model_args, train = resolve(s, spec.setting.params)
    cache = Path(out_dir) / layout.DATA_CACHE
    data = read_study_data(cache) if cache.exists() else load_study_data(s.data, data_layout(s))
    run = ArmRun(s, spec, model_args, train, data, folder, report or (lambda epoch, value: False))
    result = arm_trainer(spec.arm)(run)
    layout.write_json_atomic(folder / layout.HISTORY_JSON, result.history)
    if result.model is not None:
        if spec.arm == "jaring":
            layout.write_json_atomic(folder / layout.HISTOGRAMS_JSON,
                                     histograms(result.model, s.report["histogram_layers"]))  # fmt: skip
        write_weights(folder / layout.WEIGHTS, result.model)
    metrics = {**result.metrics, "status": "pruned" if result.pruned else "complete"}
    layout.write_json_atomic(folder / layout.METRICS_JSON, metrics)
    return metrics
