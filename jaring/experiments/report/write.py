"""write_report: turn a study folder into results.csv, figures/*.png, report.md and report.html.

It works on any state of the folder: a finished study, one still running, one with failed trials, or
one where nothing has finished yet (the report then says so). Running it again rewrites everything.
"""

from __future__ import annotations

import os
from pathlib import Path

from jaring.experiments import layout
from jaring.experiments.report.curves import plot_epoch_curves, plot_step_loss
from jaring.experiments.report.document import Block, Document, Image, Section, Text
from jaring.experiments.report.histograms import plot_distributions
from jaring.experiments.report.html import render_html
from jaring.experiments.report.load import StudyData, load_study_data
from jaring.experiments.report.markdown import render_markdown
from jaring.experiments.report.results import write_results_csv
from jaring.experiments.report.search import search_plots
from jaring.experiments.report.tables import (
    best_text,
    keras_table,
    summary_table,
    top_k_table,
    unfinished_table,
)

_KINDS = {
    "oat": "one factor at a time around a baseline",
    "grid": "a full grid of settings",
    "random": "a random search",
    "tpe": "a model-based search (TPE)",
}
# Every figure this module may write; stale ones from an earlier report are removed.
_FIGURES = (
    "curves.png",
    "step_loss.png",
    "distributions.png",
    "optuna_history.png",
    "optuna_parallel.png",
    "optuna_importance.png",
)


def _listing(values: dict) -> str:
    return ", ".join(f"{k} = {v}" for k, v in values.items())


def _intro(data: StudyData) -> list[Block]:
    study = data.study
    seeds = study.get("seeds", [])
    about = (
        f"`{study.get('name', data.out_dir.name)}` is {_KINDS.get(study.get('kind'), study.get('kind'))} "
        f"with the arms {', '.join(study.get('arms', []))}, over {len(seeds)} seed{'s' * (len(seeds) != 1)} "
        f"({', '.join(map(str, seeds))}). Metric: {study.get('metric_label', study.get('metric'))} on "
        f"the test set, to {study.get('direction', 'maximize')}."
    )
    blocks: list[Block] = [Text(about)]
    if study.get("baseline"):
        blocks.append(Text(f"Baseline: {_listing(study['baseline'])}."))
    if study.get("published_note"):
        note = str(study["published_note"]).rstrip(". ")
        # The runner's notes often start with "published: ..." already.
        text = (
            note[0].upper() + note[1:]
            if note.lower().startswith("published")
            else f"Published numbers: {note}"
        )
        blocks.append(Text(f"{text}."))
    if study.get("quick"):
        blocks.append(
            Text(
                "This is a `--quick` run (small subset, few epochs): its numbers only show that "
                "the study runs, not what it finds.",
                note=True,
            )
        )
    blocks.append(Text(_progress(data), note=not data.complete))
    if data.journal_note:
        blocks.append(Text(f"Note: {data.journal_note}.", note=True))
    return blocks


def _progress(data: StudyData) -> str:
    study = data.study
    counts: dict[str, int] = {}
    for trial in data.trials:
        counts[trial.status] = counts.get(trial.status, 0) + 1
    planned = len(study.get("settings", [])) * len(study.get("arms", [])) * len(study.get("seeds", []))
    done = counts.pop("complete", 0)
    of = f" of {planned} planned" if study.get("kind") in ("oat", "grid") and planned else ""
    others = "".join(f"; {n} {status}" for status, n in sorted(counts.items()))
    text = f"Trials: {done} complete{of}{others}."
    if not done:
        command = f"jaring study run {study.get('source', 'STUDY.toml')}" + (
            " --quick" if study.get("quick") else ""
        )
        text += (
            f" No trial has finished yet, so there is nothing to average or draw. Run "
            f"`{command} --out {data.out_dir}` (running it again resumes where it stopped), then "
            f"`jaring study report {data.out_dir}`."
        )
    return text


def _figure_section(title: str, drawn: tuple[Path | None, str], alt: str, caption: str) -> Section | None:
    path, sentence = drawn
    if path is None and not sentence:
        return None
    blocks: list[Block] = [Image(path, alt, caption)] if path is not None else []
    if sentence:
        blocks.append(Text(sentence, note=path is None))
    return Section(title, blocks)


def _sections(data: StudyData, figures: Path) -> list[Section]:
    sections = []
    if data.trials or data.study.get("settings"):
        best = best_text(data)
        sections.append(
            Section("Results per setting", [summary_table(data), *([Text(best)] if best else [])])
        )
    keras = keras_table(data)
    if keras is not None:
        sections.append(Section("Keras weights in jaring", [keras]))
    table, note = top_k_table(data)
    if table is not None and table.rows:
        sections.append(
            Section(f"Top {data.study.get('top_k')} re-trained", [table] + ([Text(note)] if note else []))
        )
    if data.complete:
        drawn = [
            _figure_section(
                "Training curves",
                plot_epoch_curves(data, figures / "curves.png"),
                "training curves",
                "Loss and the metric per epoch for every setting: solid training, dashed "
                "validation; the line is the mean over seeds, the band spans min to max.",
            ),
            _figure_section(
                "Loss per step",
                plot_step_loss(data, figures / "step_loss.png"),
                "loss per step",
                "Training loss as logged every few steps (mean over seeds, band min..max).",
            ),
            _figure_section(
                "Weight and gradient distributions",
                plot_distributions(data, figures / "distributions.png"),
                "distributions",
                "One row per setting: histograms of each chosen layer's final weights and of "
                "the gradients of the last training batch.",
            ),
        ]
        sections += [s for s in drawn if s is not None]
    if data.is_search:
        sections.append(Section("Search", search_plots(data, figures)))
    unfinished = unfinished_table(data)
    if unfinished is not None:
        sections.append(Section("Unfinished trials", [unfinished]))
    sections.append(
        Section(
            "Files",
            [
                Text(
                    "`results.csv` has one row per trial (metric values as stored: fractions 0..1, "
                    "not percent); `trials/<setting>__<arm>__s<seed>/` holds each trial's params, history, "
                    "metrics, histograms and weights; `figures/` the pictures of this report."
                )
            ],
        )
    )
    return sections


def write_report(out_dir: str | os.PathLike) -> Path:
    """Write DIR/results.csv, DIR/figures/*.png, DIR/report.md and DIR/report.html; return report.html.

    `out_dir` is the folder given to `jaring study run --out`. Raises FileNotFoundError when it is not
    a study folder (no study.json); any other state, even an empty study, gives a report.

    Examples:
        A quick study on scikit-learn's bundled digits, run without its report, then reported:

        >>> from pathlib import Path
        >>> from jaring.experiments.report import write_report
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
        >>> out = run_study("tiny.toml", quick=True, workers=1, out="tiny", report=False)
        >>> write_report(out).name
        'report.html'
        >>> sorted(p.name for p in out.glob("report.*")), sorted(p.name for p in (out / "figures").iterdir())
        (['report.html', 'report.md'], ['curves.png'])
        >>> import csv
        >>> rows = list(csv.DictReader((out / "results.csv").read_text().splitlines()))
        >>> [(row["trial_key"], row["lr"], row["status"]) for row in rows]
        [('s00__jaring__s0', '0.01', 'complete'), ('s01__jaring__s0', '0.1', 'complete')]
        >>> write_report("nowhere")
        Traceback (most recent call last):
        ...
        FileNotFoundError: write_report: the study folder 'nowhere' does not exist
    """
    data = load_study_data(out_dir)
    root, figures = data.out_dir, data.out_dir / layout.FIGURES_DIR
    figures.mkdir(exist_ok=True)
    write_results_csv(data, root / layout.RESULTS_CSV)
    document = Document(
        data.study.get("title") or data.study.get("name", root.name), _intro(data), _sections(data, figures)
    )
    drawn = {image.path.name for image in document.images}
    for name in _FIGURES:
        if name not in drawn and (figures / name).exists():
            (figures / name).unlink()
    layout.write_bytes_atomic(root / layout.REPORT_MD, render_markdown(document, root).encode("utf-8"))
    layout.write_bytes_atomic(root / layout.REPORT_HTML, render_html(document).encode("utf-8"))
    return root / layout.REPORT_HTML
