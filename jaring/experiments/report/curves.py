"""Training and validation curves of every setting overlaid: mean over seeds, min-max band over seeds.

One figure per study: a row per arm, a column for the loss and one for accuracy (or the first other
metric in the history). Training is solid, validation dashed, one colour per setting. Seeds that
stopped early (early stopping) count only for the epochs they ran.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from jaring.experiments import layout
from jaring.experiments.report.load import StudyData
from jaring.experiments.report.results import shown_settings
from jaring.viz.figure import finish, new_figure

MAX_SETTINGS = 10
# Training solid with filled dots, validation dashed with open ones (dots only while epochs are few),
# so a one-epoch --quick run still shows which point is which.
_TRAINING = {"linestyle": "-", "marker": "o", "markersize": 3.5}
_VALIDATION = {"linestyle": "--", "marker": "o", "markersize": 3.5, "markerfacecolor": "white"}


def setting_colors(count: int) -> list:
    """One distinct colour per setting (tab10, tab20 beyond ten)."""
    from matplotlib import colormaps

    cmap = colormaps["tab10" if count <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(count)]


def band(series: list[list[float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x from 1, mean, min, max) over runs of possibly different lengths (shorter runs end early)."""
    longest = max(len(s) for s in series)
    values = np.full((len(series), longest), np.nan)
    for row, s in zip(values, series):
        row[: len(s)] = s
    return np.arange(1, longest + 1), np.nanmean(values, 0), np.nanmin(values, 0), np.nanmax(values, 0)


def _histories(data: StudyData, section: str) -> dict[tuple[str, str], list[dict]]:
    """{(arm, setting_id): [history[section] of each complete search seed]} for trials that logged it."""
    found: dict[tuple[str, str], list[dict]] = {}
    for trial in data.complete:
        history = trial.read(layout.HISTORY_JSON) if not trial.retrain else None
        if history and history.get(section):
            found.setdefault((trial.arm, trial.setting_id), []).append(history[section])
    return found


def _panel_keys(histories: dict[tuple[str, str], list[dict]], metric: str) -> list[str]:
    """The loss and the study's metric per epoch (test_macro_f1 -> macro_f1) when logged, else accuracy,
    else the first other metric."""
    keys = list(dict.fromkeys(k for runs in histories.values() for run in runs for k in run))
    base = [k for k in keys if not k.startswith("val_")] or [k[4:] for k in keys]
    wanted = [metric.removeprefix("test_"), "accuracy", *(k for k in base if k != "loss")]
    second = next((k for k in wanted if k in base), None)
    return [k for k in ("loss", second) if k in base or f"val_{k}" in keys]


def _draw_panel(ax, arm: str, key: str, runs_of: dict[str, list[dict]], colors: dict[str, tuple]) -> None:
    """One arm's `key` and `val_{key}` per setting: mean line, min-max band, dots while epochs are few."""
    longest = 0
    for setting, runs in runs_of.items():
        for name, style in ((key, _TRAINING), (f"val_{key}", _VALIDATION)):
            series = [run[name] for run in runs if run.get(name)]
            if series:
                x, mean, low, high = band(series)
                dots = style if len(x) <= 20 else {**style, "marker": None}
                ax.plot(x, mean, color=colors[setting], linewidth=1.6, **dots)
                ax.fill_between(x, low, high, color=colors[setting], alpha=0.15, linewidth=0)
                longest = max(longest, len(x))
    ax.set_title(f"{arm}: {key}", fontsize=10)
    if not longest:  # e.g. scikit-learn's MLPClassifier records only its training loss
        ax.text(
            0.5,
            0.5,
            f"{arm} logs no {key} per epoch",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="0.4",
        )
        ax.set_xticks([])
        ax.set_yticks([])
        return
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    ax.set_xlim(0.7, longest + 0.3)
    ax.grid(alpha=0.3)


def plot_epoch_curves(data: StudyData, path: Path) -> tuple[Path | None, str]:
    """Write the curves PNG; (None, why) when no complete trial has a per-epoch history."""
    histories = _histories(data, "epoch")
    if not histories:
        return None, "No finished trial has a per-epoch history yet, so there are no curves to draw."
    settings, trimmed = shown_settings(data, MAX_SETTINGS)
    labels = {t.setting_id: data.setting_name(t.setting_id, t.label) for t in data.trials}
    arms = [a for a in data.study.get("arms", []) if any(k[0] == a for k in histories)]
    metric = str(data.study.get("metric", ""))
    # Per arm: Keras logs accuracy but not macro-F1, scikit-learn only the loss.
    keys = {arm: _panel_keys({k: v for k, v in histories.items() if k[0] == arm}, metric) for arm in arms}
    columns = max(len(k) for k in keys.values())
    colors = dict(zip(settings, setting_colors(len(settings))))
    fig = new_figure(5.2 * columns + 2.4, 3.3 * len(arms))
    axes = fig.subplots(len(arms), columns, squeeze=False)
    for row, arm in zip(axes, arms):
        runs_of = {s: histories.get((arm, s), []) for s in settings}
        for ax, key in zip(row, keys[arm]):
            _draw_panel(ax, arm, key, runs_of, colors)
        for ax in row[len(keys[arm]) :]:
            ax.set_visible(False)
    _legend(fig, [(labels.get(s, s), colors[s]) for s in settings])
    # The study's short name, not its title: a title of a whole line would be cut off above the panels.
    fig.suptitle(f"{data.study.get('name', '')}: mean over seeds, band = min..max")
    finish(fig, path)
    return path, trimmed


def _legend(fig: Figure, entries: list[tuple[str, tuple]]) -> None:
    handles = [Line2D([], [], color=color, linewidth=2, label=label) for label, color in entries]
    handles += [
        Line2D([], [], color="0.3", label="training", **_TRAINING),
        Line2D([], [], color="0.3", label="validation", **_VALIDATION),
    ]
    fig.legend(handles=handles, loc="outside right upper", fontsize=9, title="setting", title_fontsize=9)


def plot_step_loss(data: StudyData, path: Path) -> tuple[Path | None, str]:
    """Write the per-step training loss PNG when trials logged history["step"]; else (None, "")."""
    histories = _histories(data, "step")
    if not histories:
        return None, ""
    settings, trimmed = shown_settings(data, MAX_SETTINGS)
    labels = {t.setting_id: data.setting_name(t.setting_id, t.label) for t in data.trials}
    arms = [a for a in data.study.get("arms", []) if any(k[0] == a for k in histories)]
    colors = dict(zip(settings, setting_colors(len(settings))))
    fig = new_figure(9.0, 3.2 * len(arms))
    axes = fig.subplots(len(arms), 1, squeeze=False)[:, 0]
    for ax, arm in zip(axes, arms):
        for setting in settings:
            runs = [run for run in histories.get((arm, setting), []) if run.get("loss")]
            if runs:
                x, mean, low, high = band([run["loss"] for run in runs])
                x = x * int(runs[0].get("every", 1))
                ax.plot(x, mean, color=colors[setting], linewidth=1.2, label=labels.get(setting, setting))
                ax.fill_between(x, low, high, color=colors[setting], alpha=0.15, linewidth=0)
        ax.set_title(f"{arm}: training loss per step", fontsize=10)
        ax.set_xlabel("step")
        ax.set_ylabel("loss")
        ax.grid(alpha=0.3)
    handles = [Line2D([], [], color=colors[s], linewidth=2, label=labels.get(s, s)) for s in settings]
    fig.legend(handles=handles, loc="outside right upper", fontsize=9, title="setting", title_fontsize=9)
    finish(fig, path)
    return path, trimmed
