"""Running studies: every shipped study end to end (--quick), the same numbers with 1 or 2 workers,
a folder holding another study refused, a TPE search, and a SIGKILL at a random moment survived."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from optuna.trial import TrialState

from jaring.experiments import layout
from jaring.experiments.plan import load_resolved
from jaring.experiments.runner import run_study, study_json, worker_context
from jaring.experiments.schema import StudyFileError
from jaring.experiments.storage import FolderLock, StudyLockedError, open_study

ROOT = Path(__file__).resolve().parents[2]
worker_context(["pytorch", "sklearn", "keras"])  # the session's fork server imports every arm once
STUDIES = sorted((ROOT / "experiments" / "studies").glob("*.toml"))
DATA = Path(os.environ.get("JARING_DATA", "/nonexistent"))
FOLDERS = {"mnist": "mnist", "fashion_mnist": "fashion_mnist", "nusax_sentiment": "nusax_sentiment"}


def needs(path: Path) -> None:
    """Skip unless $JARING_DATA holds the study's dataset (and Keras is there for a keras arm)."""
    s = load_resolved(str(path), True)
    if not (DATA / FOLDERS[s.data["dataset"]]).is_dir():
        pytest.skip(f"needs {s.data['dataset']} under $JARING_DATA")
    if "keras" in s.study["arms"]:
        os.environ.setdefault("KERAS_BACKEND", "torch")  # as the keras arm does; else Keras wants TensorFlow
        pytest.importorskip("keras")
    if {"pytorch", "keras"} & set(s.study["arms"]):
        pytest.importorskip("torch")


def journal_states(out: Path, name: str) -> dict[str, list[TrialState]]:
    states: dict[str, list[TrialState]] = {}
    for t in open_study(out, name).get_trials(deepcopy=False):
        if "trial_key" in t.user_attrs:
            states.setdefault(t.user_attrs["trial_key"], []).append(t.state)
    return states


def results(out: Path) -> dict[str, tuple]:
    """Per trial: its test metrics and per-epoch history (what must not depend on workers or kills)."""
    return {
        t["trial_key"]: (
            t["test_accuracy"],
            t["test_macro_f1"],
            json.dumps(layout.read_json(t["path"] / "history.json")),
        )
        for t in layout.completed_trials(out)
    }


def test_the_shipped_studies_cover_every_study_of_studies_md():
    names = {p.stem.split("_")[0] + "_" + p.stem.split("_")[1] for p in STUDIES}
    expected = {f"003_{k}" for k in ("1a", "1b", "2", "3", "4", "5", "6", "7")}
    expected |= {"001_baseline", "004_1", "004_2"} | {f"002_{k}" for k in ("C1", "C2", "C3", "C4", "C5")}
    expected |= {f"002_{c}{i}" for c in "RL" for i in (1, 2, 3)}
    assert names == expected


@pytest.mark.slow  # 22 studies, two worker processes each: minutes (a fast two-worker test stays below)
@pytest.mark.parametrize("path", STUDIES, ids=[p.stem for p in STUDIES])
def test_every_shipped_study_runs_quick_with_two_workers(path: Path, tmp_path: Path):
    needs(path)
    out = run_study(path, quick=True, workers=2, out=tmp_path / "out")
    study = layout.read_json(out / layout.STUDY_JSON)
    trials = layout.completed_trials(out)
    assert trials and all(t["status"] == "complete" for t in trials)
    assert {t["arm"] for t in trials} == set(study["arms"])
    states = journal_states(out, study["optuna_study_name"])
    assert all(v.count(TrialState.COMPLETE) == 1 for v in states.values())
    assert (out / layout.REPORT_HTML).exists() and (out / layout.RESULTS_CSV).exists()
    if study["kind"] in ("oat", "grid"):
        assert len(trials) == len(study["settings"]) * len(study["arms"]) * len(study["seeds"])


STUDY = ROOT / "experiments" / "studies" / "003_6_regularization.toml"


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """003-6 in quick mode, run once without interruption by one worker."""
    needs(STUDY)
    return run_study(STUDY, quick=True, workers=1, out=tmp_path_factory.mktemp("ref") / "out", report=False)


@pytest.mark.slow  # two quick studies, one with two worker processes: 15 s
def test_two_workers_give_the_numbers_of_one(reference: Path, tmp_path: Path):
    out = run_study(STUDY, quick=True, workers=2, out=tmp_path / "out", report=False)
    assert results(out) == results(reference)
    assert len(results(out)) == 8


def test_a_folder_holding_another_study_is_refused(tmp_path: Path):
    s = load_resolved(str(STUDY), True)
    layout.write_json_atomic(tmp_path / layout.STUDY_JSON, {**study_json(s, True, [], []), "name": "other"})
    with pytest.raises(StudyFileError, match="holds study 'other'"):
        run_study(STUDY, quick=True, out=tmp_path)
    layout.write_json_atomic(tmp_path / layout.STUDY_JSON, study_json(s, True, [], []))
    with pytest.raises(
        StudyFileError, match="holds a --quick run of '003_6_regularization' with other settings"
    ):
        run_study(STUDY, quick=False, out=tmp_path)


@pytest.mark.slow  # runs a quick study, then one more seed of it
def test_adding_a_seed_runs_only_the_new_seed(reference: Path, tmp_path: Path):
    grown = tmp_path / STUDY.name
    grown.write_text(STUDY.read_text() + "\n[quick]\nseeds = [0, 1]\n")
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    before = {t["trial_key"]: t["path"].stat().st_mtime_ns for t in layout.completed_trials(out)}
    run_study(grown, quick=True, workers=1, out=out, report=False)
    after = results(out)
    assert {k: v for k, v in after.items() if k in before} == results(reference)
    assert {t["seed"] for t in layout.completed_trials(out)} == {0, 1} and len(after) == 2 * len(before)
    assert all(t["path"].stat().st_mtime_ns == before[t["trial_key"]]
               for t in layout.completed_trials(out) if t["trial_key"] in before)  # fmt: skip


def test_one_run_at_a_time_per_folder(tmp_path: Path):
    with FolderLock(tmp_path), pytest.raises(StudyLockedError, match="another"):
        with FolderLock(tmp_path):
            pass


def outlived(group: int, seconds: float = 10.0) -> bool:
    """Whether processes of the killed run's group are still alive after `seconds` (they are then killed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.1)
    os.killpg(group, signal.SIGKILL)
    return True


@pytest.mark.slow  # runs and kills a whole study in subprocesses
def test_sigkill_at_a_random_moment_then_the_same_command_finishes_every_trial_once(
    reference: Path, tmp_path
):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "jaring.cli", "study", "run", str(STUDY), "--quick", "--workers", "2",
               "--out", str(out)]  # fmt: skip
    proc = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    while (
        not list((out / layout.TRIALS_DIR).glob("*/" + layout.METRICS_JSON)) and time.monotonic() < deadline
    ):
        time.sleep(0.05)  # wait for the first finished trial, so the kill lands while trials run
    time.sleep(random.uniform(0.0, 2.0))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not outlived(proc.pid), "workers or their fork server outlived the killed run"
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    states = journal_states(out, "003_6_regularization")
    assert len(states) == 8 and all(v.count(TrialState.COMPLETE) == 1 for v in states.values())
    assert results(out) == results(reference)


TPE = """
[study]
title = "TPE over two factors"
report = "004"
kind = "tpe"
metric = "test_accuracy"
seeds = [0, 1]
arms = ["jaring"]
budget = 4
top_k = 1
pruner = "median"

[model]
ready = "FFNN"
args = { hidden = [16], activation = "relu" }

[data]
dataset = "mnist"
train = 300
test = 200
validation = 0.1

[train]
optimizer = "sgd"
lr = 0.01
batch_size = 32
epochs = 2

[factors]
lr = [0.3, 0.1, 0.03, 0.01]
batch_size = [16, 32, 64]
"""


@pytest.mark.slow  # trains a whole search budget
def test_a_tpe_search_runs_its_budget_then_retrains_the_best(tmp_path: Path):
    path = tmp_path / "tpe_study.toml"
    path.write_text(TPE)
    needs(path)
    out = run_study(path, workers=2, out=tmp_path / "out")
    trials = layout.completed_trials(out)
    search = [t for t in trials if t["phase"] == "search"]
    assert len({t["setting_id"] for t in search}) <= 4 and len(search) <= 4
    study = layout.read_json(out / layout.STUDY_JSON)
    assert len(study["top_settings"]) == 1
    best = study["top_settings"][0]
    assert {t["seed"] for t in trials if t["setting_id"] == best} == {0, 1}


DIGITS = """
[study]
title = "digits: hidden width"
report = "003"
kind = "grid"
metric = "test_accuracy"
seeds = [0, 1]
arms = ["jaring", "sklearn"]

[model]
ready = "FFNN"
args = { activation = "relu" }

[data]
dataset = "digits"
validation = 0.2

[train]
optimizer = "adam"
lr = 0.01
batch_size = 32
epochs = 3

[factors]
hidden = [[16], [32]]

[report]
histogram_layers = "all"
"""


def test_a_digits_study_runs_without_downloaded_data(tmp_path: Path):
    path = tmp_path / "digits_width.toml"
    path.write_text(DIGITS)
    out = run_study(path, workers=1, out=tmp_path / "out", report=False)
    trials = layout.completed_trials(out)
    assert len(trials) == 2 * 2 * 2
    assert all(t["test_accuracy"] > 0.5 for t in trials)
    jaring = next(t for t in trials if t["arm"] == "jaring")
    histograms = layout.read_json(jaring["path"] / layout.HISTOGRAMS_JSON)
    assert set(histograms) == {"layers.0", "layers.1"} and set(histograms["layers.0"]) == {"weight", "grad"}
    history = layout.read_json(jaring["path"] / layout.HISTORY_JSON)
    assert len(history["epoch"]["loss"]) == 3 and len(history["epoch"]["val_accuracy"]) == 3
    again = run_study(path, workers=1, out=out, report=False)  # finished trials never run again
    assert [t["seconds"] for t in layout.completed_trials(again)] == [t["seconds"] for t in trials]


def test_a_setting_that_cannot_be_built_stops_the_study_before_training(tmp_path: Path):
    path = tmp_path / "digits_bad.toml"
    path.write_text(DIGITS.replace('args = { activation = "relu" }', 'args = { activation = "relux" }'))
    with pytest.raises(StudyFileError, match="setting '16'.*cannot be built: unknown activation 'relux'"):
        run_study(path, out=tmp_path / "out")
    assert not (tmp_path / "out" / layout.TRIALS_DIR).exists()
