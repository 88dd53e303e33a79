"""The report's tables: results per setting and arm, the Keras comparison, the top-k, unfinished trials.

Metric values are shown in the study's scale (percent for metric_scale 100, with two decimals;
fractions with four), mean ± sample standard deviation over the complete seeds.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from jaring.experiments.report.document import Table
from jaring.experiments.report.load import StudyData, Trial
from jaring.experiments.report.results import Summary, number, published_for, ranked, summaries


_KERAS_F1 = ("keras_test_macro_f1", "jaring_test_macro_f1")


def metric_text(value: float | None, scale: float) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" if scale == 100 else f"{value:.4f}"


def mean_std_text(entry: Summary, scale: float) -> str:
    if entry.mean is None:
        return "—"
    mean = metric_text(entry.mean, scale)
    return mean if entry.std is None else f"{mean} ± {metric_text(entry.std, scale)}"


def _signed(value: float | None, scale: float) -> str:
    return "—" if value is None else ("+" if value >= 0 else "−") + metric_text(abs(value), scale)


def _value_text(value: Any) -> str:
    """A parameter as a cell: floats to 4 significant digits (a sampled 0.0075038... reads as 0.007504)."""
    if isinstance(value, float):
        return f"{value:.4g}"
    return json.dumps(value) if isinstance(value, (list, dict)) else str(value)


def _seeds_text(entry: Summary) -> str:
    """How many seeds finished, and what happened to the others."""
    extra = ", ".join(f"{n} {status}" for status, n in sorted(entry.not_complete.items()))
    return f"{len(entry.values)} ({extra})" if extra else str(len(entry.values))


def _varied(entries: list[Summary], names: list[str]) -> list[str]:
    """The parameters among `names` that take more than one value across `entries`."""
    return [n for n in names if len({_value_text(e.params.get(n)) for e in entries}) > 1]


def _name(data: StudyData, entry: Summary) -> str:
    return data.setting_name(entry.setting_id, entry.label)


def _is_baseline(data: StudyData, entry: Summary) -> bool:
    """A one-factor-at-a-time setting whose parameters all take their baseline value (and whose label
    does not say so already: the runner labels it "baseline")."""
    baseline = data.study.get("baseline") or {}
    if "baseline" in entry.label.lower():
        return False
    shared = [k for k in entry.params if k in baseline]
    return (
        data.study.get("kind") == "oat"
        and bool(shared)
        and all(entry.params[k] == baseline[k] for k in shared)
    )


def best_text(data: StudyData) -> str:
    """One sentence naming the best setting of each arm, or "" when nothing finished."""
    direction, scale = data.study.get("direction", "maximize"), data.scale
    found = []
    for arm in data.study.get("arms", []):
        best = ranked([e for e in summaries(data) if e.arm == arm], direction)
        if best:
            found.append(f"{arm}: {_name(data, best[0])} ({mean_std_text(best[0], scale)})")
    return f"Best setting per arm — {'; '.join(found)}." if found else ""


def summary_table(data: StudyData) -> Table:
    """Per setting and arm: seeds, the metric's mean ± std, seconds per epoch, published, difference."""
    scale, entries = data.scale, summaries(data)
    if data.is_search:  # sampled settings have no natural order: best first, unfinished last
        best = ranked(entries, data.study.get("direction", "maximize"))
        entries = best + [e for e in entries if e not in best]
    factors = list(data.study.get("factors", {}))
    params = _varied(entries, factors)
    if not data.is_search and len(params) <= 1:
        params = []  # one factor: each setting's label already says its value
    one_factor = data.study.get("kind") == "grid" and len(factors) == 1
    columns = [
        f"setting ({factors[0]})" if one_factor else "setting",
        *params,
        "arm",
        "seeds",
        str(data.study.get("metric_label", data.study.get("metric"))),
        "s / epoch",
        "published",
        "difference",
    ]
    published = any(e.published is not None for e in entries)
    if not published:
        columns = columns[:-2]
    rows = []
    for e in entries:
        per_epoch = e.mean_seconds_per_epoch
        rows.append(
            [
                f"{e.label} (baseline)" if _is_baseline(data, e) else _name(data, e),
                *(_value_text(e.params.get(p, "")) for p in params),
                e.arm,
                _seeds_text(e),
                mean_std_text(e, scale),
                "—" if per_epoch is None else f"{per_epoch:.3g}",
            ]
            + ([metric_text(e.published, scale), _signed(e.difference, scale)] if published else [])
        )
    caption = "mean ± sample std over seeds" + (
        "; difference = this arm's mean − published" if published else ""
    )
    return Table(columns, rows, numeric=set(range(len(params) + 2, len(columns))), caption=caption)


def _metric(trial: Trial, key: str) -> float | None:
    return number(trial.metrics.get(key))


def _mean_metric(trials: list[Trial], key: str) -> float | None:
    values = [v for t in trials if (v := _metric(t, key)) is not None]
    return float(np.mean(values)) if values else None


def _f1_gap(trial: Trial) -> float | None:
    """|Keras F1 - jaring F1| of one trial, None when either is missing."""
    keras_f1, jaring_f1 = (_metric(trial, key) for key in _KERAS_F1)
    return None if keras_f1 is None or jaring_f1 is None else abs(keras_f1 - jaring_f1)


def keras_table(data: StudyData) -> Table | None:
    """For the keras arm: Keras' own F1 beside jaring's with the same weights, and their largest gap."""
    rows, scale = [], data.scale
    for entry in (e for e in summaries(data) if e.arm == "keras"):
        trials = [t for t in data.complete if t.arm == "keras" and t.setting_id == entry.setting_id]
        if not trials:
            continue
        keras_f1, jaring_f1 = (_mean_metric(trials, key) for key in _KERAS_F1)
        gaps = [gap for t in trials if (gap := _f1_gap(t)) is not None]
        prob = [v for t in trials if (v := _metric(t, "max_prob_diff")) is not None]
        rows.append(
            [
                entry.label,
                str(len(trials)),
                metric_text(None if keras_f1 is None else keras_f1 * scale, scale),
                metric_text(None if jaring_f1 is None else jaring_f1 * scale, scale),
                metric_text(max(gaps) * scale if gaps else None, scale),
                f"{max(prob):.2e}" if prob else "—",
                metric_text(published_for(data.study, entry.label, "keras"), scale),
            ]
        )
    if not rows:
        return None
    columns = [
        "setting",
        "seeds",
        "Keras macro-F1",
        "jaring macro-F1 (Keras weights)",
        "largest |difference|",
        "max probability difference",
        "published",
    ]
    return Table(
        columns,
        rows,
        numeric=set(range(1, len(columns))),
        caption="trained in Keras, weights loaded into jaring; both predict the same test set",
    )


def top_k_table(data: StudyData) -> tuple[Table | None, str]:
    """Random search: its best settings by search rank, the search value beside the re-trained mean ± std.

    The search runs each setting once with the first arm; the best `top_k` (study.json "top_settings",
    in rank order) are then trained over every seed and arm.
    """
    top_k, scale = int(data.study.get("top_k", 0) or 0), data.scale
    if top_k <= 0:
        return None, ""
    arms = list(data.study.get("arms", []))
    searched = {e.setting_id: e for e in summaries(data) if e.arm == arms[0] and e.mean is not None}
    order = data.study.get("top_settings") or [
        e.setting_id for e in ranked(list(searched.values()), data.study.get("direction", "maximize"))
    ]
    retrained = (
        {(e.setting_id, e.arm): e for e in summaries(data, everything=True)}
        if any(t.retrain for t in data.trials)
        else {}
    )
    note = (
        ""
        if retrained
        else f"The top {top_k} settings have not been re-trained yet; their search results are shown."
    )
    rows = []
    for rank, setting_id in enumerate(order[:top_k], start=1):
        first = searched.get(setting_id)
        for arm in arms if retrained else arms[:1]:
            entry = retrained.get((setting_id, arm)) or first
            if entry is None:
                continue
            parameters = ", ".join(f"{k}={_value_text(v)}" for k, v in entry.params.items())
            again = retrained.get((setting_id, arm))
            search_value = first.mean if first is not None and arm == arms[0] else None
            rows.append(
                [str(rank), _name(data, entry), parameters, arm, metric_text(search_value, scale)]
                + (["—", "—"] if again is None else [mean_std_text(again, scale), _seeds_text(again)])
                + [metric_text(published_for(data.study, entry.label, arm), scale)]
            )
    columns = ["rank", "setting", "parameters", "arm", "search", "re-trained", "seeds", "published"]
    caption = "rank from the search (one run, first arm); re-trained over every seed and arm"
    return Table(columns, rows, numeric={0, 4, 5, 6, 7}, caption=caption), note


def unfinished_table(data: StudyData) -> Table | None:
    """Every trial that is not complete (failed, running, pruned, ...), with its error when one was kept."""
    rows = [[t.key, t.status, t.error or "—"] for t in data.trials if not t.complete]
    return Table(["trial", "status", "error"], rows) if rows else None
