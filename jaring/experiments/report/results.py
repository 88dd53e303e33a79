"""The numbers of a study: one CSV row per trial, and per (setting, arm) the metric over seeds.

The CSV keeps the raw values of metrics.json (fractions 0..1); the summaries are in the shown scale
(percent when study.json says metric_scale 100), so they compare directly with published numbers.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from jaring.experiments import layout
from jaring.experiments.report.load import StudyData, Trial

# Timing and bookkeeping columns go last, after the metrics, in this order.
_TAIL = ("seconds", "seconds_per_epoch", "epochs_run")
_IDENTITY = ("trial_key", "arm", "setting_id", "label")


def _cell(value: Any) -> Any:
    """A CSV cell: numbers and strings as they are, lists and dicts as JSON, None as empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value)
    return value


def _param_column(name: str) -> str:
    """A param's column: its own name, or param_<name> when that would clash with a fixed column."""
    return f"param_{name}" if name in (*_IDENTITY, "seed", "status", "phase", "error") else name


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (int, float, str, bool)) or value is None


def csv_columns(data: StudyData) -> list[str]:
    """The header: trial identity, each param, seed, the study metric, other metrics, timing, status."""
    params: list[str] = []
    for name in [*data.study.get("factors", {}), *(p for t in data.trials for p in t.params)]:
        if name not in params:
            params.append(name)
    params = [_param_column(p) for p in params]
    metric = data.study.get("metric", "")
    found = sorted({k for t in data.trials for k, v in t.metrics.items() if _is_scalar(v)} - {"status"})
    metrics = ([metric] if metric else []) + [k for k in found if k != metric and k not in _TAIL]
    extra = ["phase"] if any(t.retrain for t in data.trials) else []
    extra += ["error"] if any(t.error for t in data.trials) else []
    return [*_IDENTITY, *params, "seed", *metrics, *_TAIL, "status", *extra]


def _row(trial: Trial, columns: list[str]) -> dict[str, Any]:
    row = {
        "trial_key": trial.key,
        "arm": trial.arm,
        "setting_id": trial.setting_id,
        "label": trial.label,
        "seed": trial.seed,
        "status": trial.status,
        "phase": trial.phase,
        "error": trial.error,
    }
    for name, value in trial.params.items():
        row[_param_column(name)] = value
    for name, value in trial.metrics.items():
        if name != "status" and name in columns:
            row[name] = value
    return {column: _cell(row.get(column)) for column in columns}


def write_results_csv(data: StudyData, path: str | os.PathLike) -> int:
    """Write results.csv (one row per trial, in display order); return the number of rows."""
    columns = csv_columns(data)
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=columns)
    writer.writeheader()
    for trial in data.trials:
        writer.writerow(_row(trial, columns))
    layout.write_bytes_atomic(path, text.getvalue().encode("utf-8"))
    return len(data.trials)


@dataclass
class Summary:
    """One (setting, arm): the metric over its complete seeds (in the shown scale), and the published one."""

    setting_id: str
    label: str
    arm: str
    params: dict[str, Any]
    values: list[float] = field(default_factory=list)
    seconds_per_epoch: list[float] = field(default_factory=list)
    published: float | None = None
    not_complete: dict[str, int] = field(default_factory=dict)

    @property
    def mean(self) -> float | None:
        return float(np.mean(self.values)) if self.values else None

    @property
    def std(self) -> float | None:
        """Sample standard deviation over seeds (ddof=1); None with fewer than two seeds."""
        return float(np.std(self.values, ddof=1)) if len(self.values) >= 2 else None

    @property
    def difference(self) -> float | None:
        """jaring's (this arm's) mean minus the published number."""
        if self.mean is None or self.published is None:
            return None
        return self.mean - self.published

    @property
    def mean_seconds_per_epoch(self) -> float | None:
        return float(np.mean(self.seconds_per_epoch)) if self.seconds_per_epoch else None


def published_for(study: dict[str, Any], label: str, arm: str) -> float | None:
    """study.json "published"[label]: a number for every arm, or {arm: number} for one per arm."""
    entry = study.get("published", {}).get(label)
    if isinstance(entry, dict):
        entry = entry.get(arm)
    return float(entry) if isinstance(entry, (int, float)) and not isinstance(entry, bool) else None


def number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def summaries(data: StudyData, everything: bool = False) -> list[Summary]:
    """Per (setting, arm) in display order, over the first runs of each setting; every planned pair is
    included, even before it ran (a search runs only its first arm).

    With `everything`, a random search's re-trained top-k count too: its re-training reuses the search
    run as the first seed of the first arm, so the top-k table is over all of a setting's trials.
    """
    metric, scale = data.study.get("metric", ""), data.scale
    table: dict[tuple[str, str], Summary] = {}
    if not everything:
        arms = data.study.get("arms", [])
        for setting in data.study.get("settings", []):
            for arm in arms[:1] if data.is_search else arms:
                label = str(setting.get("label", setting.get("id")))
                table[(setting.get("id"), arm)] = Summary(
                    setting.get("id"), label, arm, setting.get("params", {})
                )
    for trial in data.trials:
        if trial.retrain and not everything:
            continue
        entry = table.setdefault(
            (trial.setting_id, trial.arm), Summary(trial.setting_id, trial.label, trial.arm, trial.params)
        )
        value = number(trial.metrics.get(metric))
        if trial.complete and value is not None:
            entry.values.append(value * scale)
            per_epoch = number(trial.metrics.get("seconds_per_epoch"))
            if per_epoch is not None:
                entry.seconds_per_epoch.append(per_epoch)
        else:
            status = f"no {metric}" if trial.complete else trial.status
            entry.not_complete[status] = entry.not_complete.get(status, 0) + 1
    for entry in table.values():
        entry.published = published_for(data.study, entry.label, entry.arm)
    return list(table.values())


def ranked(entries: list[Summary], direction: str) -> list[Summary]:
    """Entries with a mean, best first for the study's direction ("maximize" or "minimize")."""
    scored = [e for e in entries if e.mean is not None]
    return sorted(scored, key=lambda e: e.mean, reverse=direction != "minimize")


def shown_settings(data: StudyData, limit: int) -> tuple[list[str], str]:
    """The setting ids a figure draws, in display order, and a sentence when only the best `limit` are.

    Searches can sample dozens of settings; a figure with more than `limit` of them is unreadable, so
    it keeps the best by the first arm's mean (search trials only).
    """
    ids = list(dict.fromkeys(t.setting_id for t in data.complete if not t.retrain))
    if len(ids) <= limit:
        return ids, ""
    first_arm = data.study.get("arms", [""])[0]
    entries = [e for e in summaries(data) if e.arm == first_arm]
    best = {e.setting_id for e in ranked(entries, data.study.get("direction", "maximize"))[:limit]}
    return [i for i in ids if i in best], f"Only the best {limit} of {len(ids)} settings are drawn."
