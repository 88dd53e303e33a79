"""File names and small helpers shared by the study runner and the report writer.

A study's output folder (``DIR``) holds ``study.json`` (the resolved study), ``journal.log`` (the
Optuna journal) and one folder per trial under ``trials/``. This module is the only runner module the
report package imports, so both sides agree on the layout without importing each other.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

STUDY_JSON = "study.json"
JOURNAL = "journal.log"
TRIALS_DIR = "trials"
PARAMS_JSON = "params.json"
HISTORY_JSON = "history.json"
METRICS_JSON = "metrics.json"
HISTOGRAMS_JSON = "histograms.json"
WEIGHTS = "weights.safetensors"
ERROR_TXT = "error.txt"  # the traceback of a trial that failed
RESULTS_CSV = "results.csv"
REPORT_MD = "report.md"
REPORT_HTML = "report.html"
FIGURES_DIR = "figures"
DATA_CACHE = "data.npz"  # the study's arrays, prepared once by the run for its workers


def trial_key(setting_id: str, arm: str, seed: int) -> str:
    """The folder name and Optuna ``trial_key`` of one (setting, arm, seed) run."""
    return f"{setting_id}__{arm}__s{int(seed)}"


def trial_dir(out_dir: str | os.PathLike, key: str) -> Path:
    """The folder of trial ``key`` inside the study folder ``out_dir``."""
    return Path(out_dir) / TRIALS_DIR / key


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one, never half.

    The bytes go to a temporary file in the same folder (same file system), which then replaces
    ``path`` in one ``os.replace``; a kill in between leaves only a stray ``.tmp`` file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a report is for others to read
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_json_atomic(path: str | os.PathLike, obj: Any) -> None:
    """Write ``obj`` as indented JSON to ``path`` atomically (see :func:`write_bytes_atomic`)."""
    write_bytes_atomic(path, (json.dumps(obj, indent=2, sort_keys=False) + "\n").encode("utf-8"))


def read_json(path: str | os.PathLike) -> Any:
    """Read one JSON file."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def completed_trials(out_dir: str | os.PathLike) -> list[dict]:
    """Every complete trial of the study in ``out_dir``, sorted by trial key.

    A trial counts as complete only when its ``metrics.json`` exists (written last); folders left
    half-written by a kill are skipped. Each dict merges ``params.json`` and ``metrics.json`` and adds
    ``"path"`` (the trial folder, a :class:`pathlib.Path`).
    """
    root = Path(out_dir) / TRIALS_DIR
    if not root.is_dir():
        return []
    trials = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        metrics_path = folder / METRICS_JSON
        params_path = folder / PARAMS_JSON
        if not (metrics_path.exists() and params_path.exists()):
            continue
        merged = dict(read_json(params_path))
        merged.update(read_json(metrics_path))
        merged["path"] = folder
        trials.append(merged)
    return trials
