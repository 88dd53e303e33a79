"""Copy a finished study's report and per-trial records (not its weights or journal) into docs/.

    python -m jaring.experiments.publish runs/studies/003_2_activation docs/studies
    python -m jaring.experiments.publish --summary docs/studies      # the studies guide's summary table

writes docs/studies/<report id>/<study name>/: study.json, results.csv, report.md, report.html,
figures/ and trials/<key>/{params,metrics,history,histograms}.json, small enough to commit.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
from pathlib import Path

from jaring.experiments import layout

TOP_FILES = (layout.STUDY_JSON, layout.RESULTS_CSV, layout.REPORT_MD, layout.REPORT_HTML)
TRIAL_FILES = (
    layout.PARAMS_JSON,
    layout.METRICS_JSON,
    layout.HISTORY_JSON,
    layout.HISTOGRAMS_JSON,
    layout.ERROR_TXT,
)


def publish(out_dir: str | Path, docs_root: str | Path) -> Path:
    """Copy the study in `out_dir` to `docs_root/<report id>/<name>`, replacing an earlier copy.

    It copies study.json, results.csv, report.md, report.html, figures/ and, from each trial's
    folder, the small JSON records (and error.txt of a failed trial); not the weights, the data
    cache or the journal. Returns the copy's folder.

    Examples:
        >>> from pathlib import Path
        >>> from jaring.experiments.publish import publish
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
        >>> dest = publish(out, "docs_studies")
        >>> dest.as_posix()
        'docs_studies/000/tiny'
        >>> sorted(p.name for p in dest.iterdir())
        ['figures', 'report.html', 'report.md', 'results.csv', 'study.json', 'trials']
        >>> sorted(p.name for p in (dest / "trials" / "s00__jaring__s0").iterdir())
        ['histograms.json', 'history.json', 'metrics.json', 'params.json']
    """
    out_dir = Path(out_dir)
    study = layout.read_json(out_dir / layout.STUDY_JSON)
    dest = Path(docs_root) / study["report_id"] / study["name"]
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in TOP_FILES:
        if (out_dir / name).exists():
            shutil.copy2(out_dir / name, dest / name)
    if (out_dir / layout.FIGURES_DIR).is_dir():
        shutil.copytree(out_dir / layout.FIGURES_DIR, dest / layout.FIGURES_DIR)
    for trial in sorted((out_dir / layout.TRIALS_DIR).glob("*")):
        for name in TRIAL_FILES:
            if (trial / name).exists():
                (dest / layout.TRIALS_DIR / trial.name).mkdir(parents=True, exist_ok=True)
                shutil.copy2(trial / name, dest / layout.TRIALS_DIR / trial.name / name)
    return dest


def _cell(values: list[float], scale: int) -> str:
    if not values:
        return ""
    digits = 2 if scale == 100 else 4
    mean = f"{statistics.mean(values) * scale:.{digits}f}"
    return f"{mean} ± {statistics.stdev(values) * scale:.{digits}f}" if len(values) > 1 else mean


def summary_rows(docs_root: str | Path, page_dir: str | Path | None = None) -> list[str]:
    """Markdown rows: study, setting, published, jaring, PyTorch, scikit-learn or Keras (mean ± std).

    Links are relative to `page_dir`, the folder of the page holding the table (default: docs/guide/,
    beside docs_root, where the studies guide is). One row a setting of each study under docs_root: the
    metric's mean ± std over seeds per arm (in percent for an accuracy); for a random search, one row
    per re-trained setting in search rank order, then the report's own best with their published
    numbers (its settings are other draws than ours). The rows come without the
    table's header, which `python -m jaring.experiments.publish --summary DOCS_ROOT` prints too.

    Examples:
        A quick study with a published number for its first setting, published and summed up:

        >>> from pathlib import Path
        >>> from jaring.experiments.publish import publish, summary_rows
        >>> from jaring.experiments.runner import run_study
        >>> _ = Path("tiny.toml").write_text('''
        ... model = { ready = "FFNN" }
        ... data = { dataset = "digits" }
        ... train = { optimizer = "adam", lr = 0.01, batch_size = 32, epochs = 1 }
        ... factors = { lr = [0.01, 0.1] }
        ... published = { "0.01" = 97.5 }
        ... [study]
        ... title = "Tiny"
        ... report = "000"
        ... kind = "grid"
        ... metric = "test_accuracy"
        ... seeds = [0]
        ... arms = ["jaring"]
        ... ''')
        >>> _ = publish(run_study("tiny.toml", quick=True, workers=1, out="tiny", report=False), "docs")
        >>> for row in summary_rows("docs", page_dir="docs"):
        ...     print(row)
        | [tiny](000/tiny/report.md) | 0.01 | 97.5 | ... |  |  |
        | [tiny](000/tiny/report.md) | 0.1 |  | ... |  |  |
    """
    page_dir = Path(docs_root).parent / "guide" if page_dir is None else Path(page_dir)
    rows = []
    for study_path in sorted(Path(docs_root).glob(f"*/*/{layout.STUDY_JSON}")):
        study = layout.read_json(study_path)
        trials = layout.completed_trials(study_path.parent)
        scale = study["metric_scale"]
        folder = Path(os.path.relpath(study_path.parent, page_dir)).as_posix()
        link = f"[{study['name']}]({folder}/report.md)"
        labels = [x["label"] for x in study["settings"]]
        searched = _search_ranks(study, trials)
        if searched is not None:  # a random search: its re-trained best, then the report's own best
            labels = searched
        for rank, label in enumerate(labels, start=1):
            mine = [t for t in trials if t["label"] == label]
            if not mine:
                continue
            by_arm = {arm: [t[study["metric"]] for t in mine if t["arm"] == arm] for arm in study["arms"]}
            other = by_arm.get("sklearn") or by_arm.get("keras") or []
            other_name = "sklearn" if by_arm.get("sklearn") else ("Keras" if by_arm.get("keras") else "")
            if by_arm.get("keras"):
                key = "keras_" + study["metric"]  # Keras's own score, beside the loaded model's
                other = [t[key] for t in mine if t["arm"] == "keras"]
            published = study["published"].get(label, "")
            if isinstance(published, dict):  # a number per arm
                published = " / ".join(f"{v} ({arm})" for arm, v in published.items())
            shown = f"search rank {rank}: {label}" if searched is not None else label
            cells = [link, shown, str(published), _cell(by_arm.get("jaring", []), scale),
                     _cell(by_arm.get("pytorch", []), scale),
                     f"{_cell(other, scale)} ({other_name})" if other else ""]  # fmt: skip
            rows.append("| " + " | ".join(cells) + " |")
        if searched is not None:
            for rank, (label, value) in enumerate(study["published"].items(), start=1):
                rows.append(f"| {link} | published rank {rank}: {label} | {value} |  |  |  |")
    return rows


def _search_ranks(study: dict, trials: list[dict]) -> list[str] | None:
    """A random search's re-trained settings in search rank order (None for other kinds of study):
    the search ran each setting once, on the first arm, and only the best top_k were re-trained."""
    if study.get("kind") != "random":
        return None
    retrained = {t["label"] for t in trials if t.get("phase") == "retrain"}
    first = [t for t in trials if t.get("phase") == "search" and t["label"] in retrained]
    best_first = study.get("direction", "maximize") == "maximize"
    first.sort(key=lambda t: t[study["metric"]], reverse=best_first)
    return [t["label"] for t in first]


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--summary":
        print("| study | setting | published | jaring | PyTorch | scikit-learn or Keras |")
        print("|---|---|---|---|---|---|")
        print("\n".join(summary_rows(sys.argv[2])))
    elif len(sys.argv) == 3:
        print(publish(sys.argv[1], sys.argv[2]))
    else:
        sys.exit("usage: python -m jaring.experiments.publish STUDY_DIR DOCS_ROOT | --summary DOCS_ROOT")
