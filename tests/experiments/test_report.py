"""write_report on synthetic study folders: results.csv, report.md's tables, a self-contained report.html.

The folders come from tests/experiments/report/fake_study.py, whose `fake_value` says what every
trial scored, so means, standard deviations and differences are checked against numbers known here.
"""

import base64
import csv
import re

import numpy as np
import pytest

from jaring.experiments import layout
from jaring.experiments.report import write_report
from jaring.experiments.report.load import load_study_data
from jaring.experiments.report.results import summaries
from tests.experiments.report.fake_study import OAT_SETTINGS, fake_value, write_fake_study

FAILED, RUNNING = "w64-32__jaring__s2", "w256-128__pytorch__s1"


@pytest.fixture(scope="module")
def oat(tmp_path_factory):
    """Three widths x two arms x three seeds, one trial failed and one still running."""
    out = tmp_path_factory.mktemp("oat")
    write_fake_study(out, arms=("jaring", "pytorch"), failed=(FAILED,), running=(RUNNING,),
                     published={"128-64": 96.15, "256-128": {"pytorch": 80.0}}, step=True)  # fmt: skip
    return out, write_report(out)


def _rows(out):
    with open(out / layout.RESULTS_CSV, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow  # shares a report of 18 trials with every figure drawn: 6 s
def test_results_csv_has_one_row_per_trial_with_params_metrics_seconds_and_status(oat):
    out, _ = oat
    rows = _rows(out)
    assert len(rows) == 3 * 2 * 3
    assert list(rows[0])[:6] == ["trial_key", "arm", "setting_id", "label", "hidden", "seed"]
    assert {"test_accuracy", "test_macro_f1", "seconds", "seconds_per_epoch", "status"} <= set(rows[0])
    by_key = {r["trial_key"]: r for r in rows}
    first = by_key["w128-64__pytorch__s2"]
    assert [first[c] for c in ("arm", "label", "hidden", "seed")] == ["pytorch", "128-64", "[128, 64]", "2"]
    assert float(first["test_accuracy"]) == pytest.approx(fake_value(1, 1, 2))
    assert float(first["seconds"]) == pytest.approx(3.0 * 3 + 2) and first["status"] == "complete"
    assert by_key[FAILED]["status"] == "failed" and by_key[FAILED]["test_accuracy"] == ""
    assert "nan at epoch 2" in by_key[FAILED]["error"]
    assert by_key[RUNNING]["status"] == "running"
    assert [r["status"] for r in rows].count("complete") == 16


@pytest.mark.slow  # shares a report of 18 trials with every figure drawn: 6 s
def test_means_and_sample_std_over_seeds_in_the_shown_scale(oat):
    out, _ = oat
    entries = {(e.label, e.arm): e for e in summaries(load_study_data(out))}
    assert len(entries) == 6
    for index, setting in enumerate(OAT_SETTINGS):
        for arm_index, arm in enumerate(("jaring", "pytorch")):
            seeds = [s for s in (0, 1, 2) if layout.trial_key(setting["id"], arm, s) not in (FAILED, RUNNING)]
            expected = [100 * fake_value(index, arm_index, s) for s in seeds]
            entry = entries[(setting["label"], arm)]
            assert entry.mean == pytest.approx(np.mean(expected))
            assert entry.std == pytest.approx(np.std(expected, ddof=1))
    assert entries[("64-32", "jaring")].not_complete == {"failed": 1}
    text = (out / layout.REPORT_MD).read_text()
    assert "| 128-64 (baseline) | jaring | 3 | 82.30 ± 0.30 | 3.33 | 96.15 | −13.85 |" in text
    assert "| 64-32 | jaring | 2 (1 failed) | 80.15 ± 0.21 |" in text
    assert "| 256-128 | pytorch | 2 (1 running) |" in text
    assert "Best setting per arm — jaring: 256-128 (84.30 ± 0.30); pytorch: 256-128" in text


@pytest.mark.slow  # shares a report of 18 trials with every figure drawn: 6 s
def test_published_numbers_by_label_or_by_arm_and_their_difference(oat):
    out, _ = oat
    entries = {(e.label, e.arm): e for e in summaries(load_study_data(out))}
    assert entries[("128-64", "jaring")].published == 96.15
    assert entries[("128-64", "jaring")].difference == pytest.approx(82.3 - 96.15)
    assert entries[("256-128", "pytorch")].published == 80.0
    assert entries[("256-128", "jaring")].published is None
    assert entries[("64-32", "jaring")].difference is None


@pytest.mark.slow  # shares a report of 18 trials with every figure drawn: 6 s
def test_report_md_links_the_figures_relatively_and_lists_unfinished_trials(oat):
    out, _ = oat
    text = (out / layout.REPORT_MD).read_text()
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert links == ["figures/curves.png", "figures/step_loss.png", "figures/distributions.png"]
    assert all((out / link).exists() for link in links)
    assert f"| {FAILED} | failed | FloatingPointError: the loss became nan at epoch 2 |" in text
    assert f"| {RUNNING} | running | — |" in text
    assert "Trials: 16 complete of 18 planned; 1 failed; 1 running." in text


@pytest.mark.slow  # shares a report of 18 trials with every figure drawn: 6 s
def test_report_html_is_self_contained_with_every_picture_inlined(oat):
    out, html_path = oat
    assert html_path == out / layout.REPORT_HTML
    page = html_path.read_text()
    assert not re.search(r"https?:", page, re.IGNORECASE)
    assert not re.search(r"<(script|link|iframe|object)\b|@import|url\(", page, re.IGNORECASE)
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert len(sources) == 3
    pictures = sorted((out / layout.FIGURES_DIR).glob("*.png"))
    inlined = sorted(base64.b64decode(s.removeprefix("data:image/png;base64,")) for s in sources)
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    assert inlined == sorted(p.read_bytes() for p in pictures)
    assert page.count("<table>") == 2 and "82.30 ± 0.30" in page


def test_keras_arm_shows_keras_f1_beside_jaring_f1_and_the_largest_probability_gap(tmp_path):
    write_fake_study(tmp_path, arms=("keras",), seeds=(0, 1), histogram_layers=())
    text = (write_report(tmp_path).parent / layout.REPORT_MD).read_text()
    assert "## Keras weights in jaring" in text
    # setting 0: value 0.80 + 0.003 seed; both F1 = value - 0.01; prob gap 2.5e-7 (1 + seed).
    assert "| 64-32 | 2 | 79.15 | 79.15 | 0.00 | 5.00e-07 | — |" in text
    assert "distributions" not in text  # no histogram layers chosen: no empty figure


def test_single_seed_shows_the_mean_without_a_std(tmp_path):
    write_fake_study(tmp_path, seeds=(4,), histogram_layers=())
    text = (write_report(tmp_path).parent / layout.REPORT_MD).read_text()
    rows = [line for line in text.splitlines() if line.startswith("| ") and " jaring " in line]
    assert len(rows) == 3 and rows[0].startswith("| 64-32 | jaring | 1 | 81.20 | ")
    assert not any("±" in row for row in rows)


def test_an_empty_study_gets_a_report_that_says_what_to_run(tmp_path):
    study = write_fake_study(tmp_path / "filled")
    empty = tmp_path / "empty"
    empty.mkdir()
    layout.write_json_atomic(empty / layout.STUDY_JSON, study)
    html_path = write_report(empty)
    text = (empty / layout.REPORT_MD).read_text()
    assert "No trial has finished yet" in text
    assert "`jaring study run experiments/studies/900_fake.toml --out" in text
    assert "Optuna journal" in text  # says why failed or running trials cannot be known
    assert "| 64-32 | jaring | 0 | — |" in text
    assert _rows(empty) == [] and (empty / layout.RESULTS_CSV).read_text().startswith("trial_key,arm,")
    assert not list((empty / layout.FIGURES_DIR).glob("*.png"))
    assert "No trial has finished yet" in html_path.read_text()


def test_a_folder_without_study_json_is_refused_by_name(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"has no study\.json.*--out folder"):
        write_report(tmp_path)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        write_report(tmp_path / "missing")


def test_a_trial_that_failed_and_then_finished_counts_once_as_complete(tmp_path):
    write_fake_study(tmp_path, failed=(FAILED,), histogram_layers=())
    data = load_study_data(tmp_path)
    assert [t.status for t in data.trials if t.key == FAILED] == ["failed"]
    # The resumed run trains it again and writes its metrics; the journal keeps the failed attempt.
    layout.write_json_atomic(layout.trial_dir(tmp_path, FAILED) / layout.METRICS_JSON,
                             {"test_accuracy": 0.5, "seconds": 1.0, "status": "complete"})  # fmt: skip
    data = load_study_data(tmp_path)
    assert [t.status for t in data.trials if t.key == FAILED] == ["complete"]
    assert len(data.trials) == 9


@pytest.mark.slow  # draws a report twice
def test_rewriting_the_report_drops_figures_it_no_longer_draws(tmp_path):
    study = write_fake_study(tmp_path, settings=OAT_SETTINGS[:1], seeds=(0,))
    write_report(tmp_path)
    assert (tmp_path / layout.FIGURES_DIR / "distributions.png").exists()
    layout.write_json_atomic(tmp_path / layout.STUDY_JSON, {**study, "histogram_layers": []})
    write_report(tmp_path)
    assert not (tmp_path / layout.FIGURES_DIR / "distributions.png").exists()
    assert (tmp_path / layout.FIGURES_DIR / "curves.png").exists()
