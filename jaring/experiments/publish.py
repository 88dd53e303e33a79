"""Copy a finished study's report and per-trial records (not its weights or journal) into docs/.

    python -m jaring.experiments.publish runs/studies/003_2_activation docs/studies

writes docs/studies/<report id>/<study name>/: study.json, results.csv, report.md, report.html,
figures/ and trials/<key>/{params,metrics,history,histograms}.json, small enough to commit.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from jaring.experiments import layout

TOP_FILES = (layout.STUDY_JSON, layout.RESULTS_CSV, layout.REPORT_MD, layout.REPORT_HTML)
TRIAL_FILES = (
    layout.PARAMS_JSON,
    layout.METRICS_JSON,
    layout.HISTORY_JSON,
    layout.HISTOGRAMS_JSON,
    "error.txt",
)


def publish(out_dir: str | Path, docs_root: str | Path) -> Path:
    """Copy the study in `out_dir` to `docs_root/<report id>/<name>`, replacing an earlier copy."""
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


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m jaring.experiments.publish STUDY_DIR DOCS_ROOT")
    print(publish(sys.argv[1], sys.argv[2]))
