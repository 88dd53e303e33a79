"""Optuna's own plots of a random or TPE search: optimisation history, parallel coordinates, importances.

Optuna draws these with pyplot and its ggplot style, so each is drawn inside an rc_context (the
style does not leak into later figures) and its figure is closed once saved (pyplot keeps no
reference). Only finished search trials of the study's first arm are plotted: re-trained top-k
runs and other arms would count one setting twice. Too few trials give a sentence, not a crash.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jaring.experiments.report.document import Block, Image, Text
from jaring.experiments.report.load import StudyData

_FINISHED = ("COMPLETE", "PRUNED", "FAIL")


def _search_study(data: StudyData) -> tuple[Any, str]:
    """An in-memory Optuna study holding the finished search trials of the first arm, and that arm."""
    import optuna

    arm = data.study.get("arms", [""])[0]
    trials = [
        t
        for t in data.optuna_study.get_trials(deepcopy=False)
        if t.state.name in _FINISHED
        and "trial_key" in t.user_attrs
        and t.user_attrs.get("phase") != "retrain"
        and t.user_attrs.get("arm", arm) == arm
    ]
    verbosity = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(optuna.logging.WARNING)  # creating the copy would log at INFO
    try:
        copy = optuna.create_study(direction=data.study.get("direction", "maximize"))
    finally:
        optuna.logging.set_verbosity(verbosity)
    copy.add_trials(trials)
    return copy, arm


def _save(draw: Callable[[], Any], path: Path, size: tuple[float, float]) -> None:
    """Run one optuna.visualization.matplotlib function and save its figure without leaking state."""
    import matplotlib
    import matplotlib.pyplot as plt
    from optuna.exceptions import ExperimentalWarning

    with matplotlib.rc_context(), warnings.catch_warnings():
        warnings.simplefilter("ignore", ExperimentalWarning)
        # A parameter with one sampled value gives a flat parallel-coordinates axis; matplotlib widens it.
        warnings.filterwarnings("ignore", "Attempting to set identical low and high ylims", UserWarning)
        axes = draw()
        figure = axes.figure if hasattr(axes, "figure") else axes.flat[0].figure
        try:
            figure.set_size_inches(*size)
            figure.savefig(path, dpi=110, bbox_inches="tight")
        finally:
            plt.close(figure)


def search_plots(data: StudyData, figures: Path) -> list[Block]:
    """Images (or sentences saying why not) for the three Optuna plots of a search study."""
    if data.optuna_study is None:
        return [Text(f"Optuna's plots need the study's journal: {data.journal_note}.", note=True)]
    from optuna.visualization import matplotlib as optuna_plots

    study, arm = _search_study(data)
    complete = [t for t in study.trials if t.state.name == "COMPLETE"]
    whose = f" (arm {arm}, search trials only)" if len(data.study.get("arms", [])) > 1 else ""
    blocks: list[Block] = []
    if not complete:
        return [Text("No search trial has finished yet, so Optuna has nothing to plot.", note=True)]
    history = figures / "optuna_history.png"
    _save(lambda: optuna_plots.plot_optimization_history(study), history, (8.0, 4.5))
    blocks.append(
        Image(
            history,
            "optimisation history",
            f"Optimisation history: each trial's value and the best so far{whose}.",
        )
    )
    if len(complete) < 2 or not any(t.params for t in complete):
        blocks.append(
            Text(
                "Parallel coordinates and parameter importances need at least two finished "
                f"trials with parameters; this search has {len(complete)}.",
                note=True,
            )
        )
        return blocks
    parallel = figures / "optuna_parallel.png"
    _save(lambda: optuna_plots.plot_parallel_coordinate(study), parallel, (10.0, 5.0))
    blocks.append(
        Image(
            parallel,
            "parallel coordinates",
            "Parallel coordinates: one line per trial, darker lines scored better.",
        )
    )
    importance = figures / "optuna_importance.png"
    try:
        _save(lambda: optuna_plots.plot_param_importances(study), importance, (8.0, 4.5))
    # Importance fits a model over the trials and fails on degenerate ones (a parameter that never
    # varied, a search space that changed between trials); the report says why instead of stopping.
    except (ValueError, RuntimeError, ZeroDivisionError) as error:
        blocks.append(
            Text(
                f"Parameter importances could not be computed from {len(complete)} trials: {error}", note=True
            )
        )
        return blocks
    blocks.append(
        Image(
            importance,
            "parameter importances",
            "Parameter importances as Optuna estimates them: how much each parameter moves the value.",
        )
    )
    return blocks
