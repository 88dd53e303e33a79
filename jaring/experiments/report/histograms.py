"""Weight and gradient distributions per setting: a grid with a row per setting, two columns per layer.

The runner stores, for the jaring arm, each chosen layer's final weights and the gradient of the last
training batch as histograms (counts, edges) in histograms.json. One seed per setting is drawn, the
lowest, so every row shows one real network rather than an average of several.
"""

from __future__ import annotations

from pathlib import Path

from jaring.experiments import layout
from jaring.experiments.report.load import StudyData, Trial
from jaring.experiments.report.results import shown_settings
from jaring.viz.figure import NEGATIVE, POSITIVE, finish, new_figure

MAX_SETTINGS = 8
_KINDS = (("weight", "weights", POSITIVE), ("grad", "gradients", NEGATIVE))


def _first_seed_with_histograms(data: StudyData) -> dict[str, tuple[Trial, dict]]:
    """{setting_id: (trial, histograms)} from the lowest-seed complete jaring trial that wrote them."""
    found: dict[str, tuple[Trial, dict]] = {}
    for trial in sorted(data.complete, key=lambda t: (t.seed or 0, t.key)):
        if trial.arm != "jaring" or trial.retrain or trial.setting_id in found:
            continue
        histograms = trial.read(layout.HISTOGRAMS_JSON)
        if histograms:
            found[trial.setting_id] = (trial, histograms)
    return found


def plot_distributions(data: StudyData, path: Path) -> tuple[Path | None, str]:
    """Write the distributions PNG; (None, why) when there is nothing to draw."""
    wanted = data.study.get("histogram_layers") or []
    if not wanted:
        return None, ""
    found = _first_seed_with_histograms(data)
    if not found:
        return None, "No finished jaring trial has written its weight histograms yet."
    # "all": every layer any setting recorded, in the order the models list them.
    layers = list(dict.fromkeys(n for _, h in found.values() for n in h)) if wanted == "all" else list(wanted)
    settings, trimmed = shown_settings(data, MAX_SETTINGS)
    settings = [s for s in settings if s in found]
    columns = [(layer, kind) for layer in layers for kind in _KINDS]
    fig = new_figure(min(2.7 * len(columns) + 1.0, 24.0), 1.9 * len(settings) + 0.8)
    # One x range per column, so a vanishing or exploding gradient stands out against the other settings.
    axes = fig.subplots(len(settings), len(columns), squeeze=False, sharex="col")
    for index, (row, setting) in enumerate(zip(axes, settings)):
        trial, histograms = found[setting]
        for ax, (layer, (key, word, color)) in zip(row, columns):
            entry = histograms.get(layer, {}).get(key)
            if entry and entry.get("counts"):
                ax.stairs(entry["counts"], entry["edges"], fill=True, color=color, alpha=0.75)
            else:
                ax.text(
                    0.5,
                    0.5,
                    "not in this model" if layer not in histograms else f"no {word}",
                    transform=ax.transAxes,
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="0.4",
                )
            ax.tick_params(labelsize=7)
            ax.ticklabel_format(axis="x", style="sci", scilimits=(-3, 3))
            ax.xaxis.get_offset_text().set_fontsize(7)
            ax.set_yticks([])
            if index == 0:
                ax.set_title(f"{layer}: {word}", fontsize=9)
        row[0].set_ylabel(f"{data.setting_name(setting, trial.label)}\n(seed {trial.seed})", fontsize=8)
    fig.suptitle("Final weights and last-batch gradients per setting (jaring arm)", fontsize=11)
    finish(fig, path)
    return path, trimmed
