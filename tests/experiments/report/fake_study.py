"""A study folder with synthetic numbers, in the runner's layout, so the report is tested without training.

`fake_value` gives every trial's metric from its setting, arm and seed, so tests know the means and
standard deviations to expect. The Optuna journal is written through Optuna itself, as the runner does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend
from optuna.trial import TrialState, create_trial

from jaring.experiments import layout

OAT_SETTINGS = [
    {"id": "w64-32", "label": "64-32", "params": {"hidden": [64, 32]}},
    {"id": "w128-64", "label": "128-64", "params": {"hidden": [128, 64]}},
    {"id": "w256-128", "label": "256-128", "params": {"hidden": [256, 128]}},
]
LAYERS = ["dense_1", "dense_2"]
TRACEBACK = """Traceback (most recent call last):
  File "jaring/experiments/worker.py", line 93, in work
    metrics = run_trial(s, spec, out_dir, report)
FloatingPointError: the loss became nan at epoch 2
"""


def fake_value(setting_index: int, arm_index: int, seed: int) -> float:
    """The metric (a fraction) of one fake trial: better with the setting's index, a little noise per seed."""
    return 0.80 + 0.02 * setting_index - 0.01 * arm_index + 0.003 * seed


def _history(value: float, epochs: int, seed: int, step: bool) -> dict[str, Any]:
    e = np.arange(1, epochs + 1)
    loss = (1.0 - value) + 1.0 / e + 0.01 * seed
    history: dict[str, Any] = {
        "epoch": {
            "loss": loss.tolist(),
            "val_loss": (loss + 0.05).tolist(),
            "accuracy": (value - 0.1 / e).tolist(),
            "val_accuracy": (value - 0.12 / e).tolist(),
        }
    }
    if step:
        history["step"] = {"loss": (1.0 / np.arange(1, 6 * epochs + 1) + 0.01 * seed).tolist(), "every": 100}
    return history


def _histograms(seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    found = {}
    for i, layer in enumerate(LAYERS):
        weight = np.histogram(rng.normal(0, 0.1 / (i + 1), 500), bins=20)
        grad = np.histogram(rng.normal(0, 1e-3, 500), bins=20)
        found[layer] = {
            "weight": {"counts": weight[0].tolist(), "edges": weight[1].tolist()},
            "grad": {"counts": grad[0].tolist(), "edges": grad[1].tolist()},
        }
    return found


def _search_settings(count: int) -> list[dict[str, Any]]:
    rng = np.random.default_rng(7)
    settings = []
    for i in range(count):
        params = {"lr": float(10 ** rng.uniform(-4, -1)), "activation": str(rng.choice(["relu", "sigmoid"]))}
        settings.append({"id": f"t{i:03d}", "label": f"trial {i}", "params": params})
    return settings


_SEARCH_SPACE = {
    "lr": FloatDistribution(1e-4, 1e-1, log=True),
    "activation": CategoricalDistribution(["relu", "sigmoid"]),
}


def write_fake_study(
    out_dir: Path,
    kind: str = "oat",
    arms: tuple[str, ...] = ("jaring",),
    seeds: tuple[int, ...] = (0, 1, 2),
    settings: list[dict[str, Any]] | None = None,
    failed: tuple[str, ...] = (),
    running: tuple[str, ...] = (),
    published: dict[str, Any] | None = None,
    histogram_layers: tuple[str, ...] = tuple(LAYERS),
    step: bool = False,
    top_k: int = 0,
    search_size: int = 6,
    epochs: int = 3,
) -> dict[str, Any]:
    """Write DIR as a run would; `failed`/`running` name trial keys that end so. Returns study.json."""
    searching = kind in ("random", "tpe")
    if settings is None:
        settings = _search_settings(search_size) if searching else OAT_SETTINGS
    study = {
        "name": "900_fake",
        "title": "A fake width study",
        "report_id": "900",
        "kind": kind,
        "metric": "test_accuracy",
        "metric_label": "test accuracy (%)",
        "metric_scale": 100,
        "direction": "maximize",
        "arms": list(arms),
        "factors": {"lr": [1e-4, 1e-1], "activation": ["relu", "sigmoid"]}
        if searching
        else {"hidden": [s["params"]["hidden"] for s in settings]},
        "baseline": {} if searching else {"hidden": [128, 64]},
        "settings": settings,
        "seeds": list(seeds),
        "published": published or {},
        "published_note": "",
        "histogram_layers": list(histogram_layers),
        "quick": False,
        "storage": layout.JOURNAL,
        "optuna_study_name": "900_fake",
        "source": "experiments/studies/900_fake.toml",
        "top_k": top_k,
        # The runner ranks the search by its metric; the fake metric grows with the setting's index.
        "top_settings": [s["id"] for s in reversed(settings)][:top_k] if searching else [],
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    layout.write_json_atomic(out_dir / layout.STUDY_JSON, study)
    storage = JournalStorage(JournalFileBackend(str(out_dir / layout.JOURNAL)))
    optuna_study = optuna.create_study(study_name="900_fake", storage=storage, direction="maximize")
    first = "search" if searching else "main"
    plan = [(i, s, a, seed, first) for i, s in enumerate(settings) for a in arms for seed in seeds]
    best = range(len(settings) - top_k, len(settings))
    plan += [(i, settings[i], a, seed, "retrain") for i in best for a in arms for seed in (101, 102)]
    for index, setting, arm, seed, phase in plan:
        key = layout.trial_key(setting["id"], arm, seed)
        attrs = {"trial_key": key, "arm": arm, "setting_id": setting["id"], "seed": seed, "phase": phase,
                 "label": setting["label"], "params_json": json.dumps(setting["params"])}  # fmt: skip
        value = fake_value(index, list(arms).index(arm), seed % 100)
        ending = "failed" if key in failed else "running" if key in running else "complete"
        _write_trial(out_dir, key, setting, arm, seed, phase, value, ending, step, epochs)
        params = dict(setting["params"]) if searching else {}
        distributions = {k: _SEARCH_SPACE[k] for k in params}
        if key in running:
            trial = optuna_study.ask()
            for name, value_ in attrs.items():
                trial.set_user_attr(name, value_)
            continue
        state = TrialState.FAIL if key in failed else TrialState.COMPLETE
        optuna_study.add_trial(
            create_trial(
                state=state,
                value=None if key in failed else value,
                params=params,
                distributions=distributions,
                user_attrs=attrs,
            )
        )
    return study


def _write_trial(
    out_dir: Path,
    key: str,
    setting: dict,
    arm: str,
    seed: int,
    phase: str,
    value: float,
    ending: str,
    step: bool,
    epochs: int,
) -> None:
    folder = layout.trial_dir(out_dir, key)
    record = {
        "trial_key": key,
        "arm": arm,
        "setting_id": setting["id"],
        "label": setting["label"],
        "params": setting["params"],
        "seed": seed,
        "phase": phase,
    }
    layout.write_json_atomic(folder / layout.PARAMS_JSON, record)
    if ending == "failed":  # the worker keeps the traceback; no history or metrics were written
        layout.write_bytes_atomic(folder / "error.txt", TRACEBACK.encode())
    if ending != "complete":
        return
    layout.write_json_atomic(folder / layout.HISTORY_JSON, _history(value, epochs, seed % 100, step))
    metrics = {
        "test_accuracy": value,
        "test_macro_f1": value - 0.01,
        "seconds": 3.0 * epochs + seed % 100,
        "seconds_per_epoch": 3.0 + (seed % 100) / epochs,
        "epochs_run": epochs,
        "status": "complete",
    }
    if arm == "keras":
        metrics.update(
            {
                "keras_test_macro_f1": value - 0.01,
                "jaring_test_macro_f1": value - 0.01,
                "max_prob_diff": 2.5e-7 * (1 + seed % 100),
            }
        )
    if arm == "jaring":
        layout.write_json_atomic(folder / layout.HISTOGRAMS_JSON, _histograms(seed))
    layout.write_json_atomic(folder / layout.METRICS_JSON, metrics)
