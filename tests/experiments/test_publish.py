"""publish copies a study's report and records into docs/, leaving weights and the journal behind."""

from __future__ import annotations

from jaring.experiments import layout
from jaring.experiments.publish import publish, summary_rows


def test_publish_copies_records_but_not_weights(tmp_path):
    out = tmp_path / "run"
    layout.write_json_atomic(out / layout.STUDY_JSON, {"report_id": "003", "name": "003_x"})
    (out / layout.REPORT_HTML).write_text("<html></html>")
    (out / layout.JOURNAL).write_text("{}")
    (out / layout.FIGURES_DIR).mkdir()
    (out / layout.FIGURES_DIR / "curves.png").write_bytes(b"png")
    trial = layout.trial_dir(out, "s00__jaring__s0")
    layout.write_json_atomic(trial / layout.METRICS_JSON, {"test_accuracy": 0.5})
    (trial / layout.WEIGHTS).write_bytes(b"w")
    dest = publish(out, tmp_path / "docs")
    assert dest == tmp_path / "docs" / "003" / "003_x"
    files = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    assert files == ["figures/curves.png", "report.html", "study.json", "trials/s00__jaring__s0/metrics.json"]
    assert publish(out, tmp_path / "docs") == dest  # a second copy replaces the first


def test_summary_rows_show_mean_and_std_per_arm_beside_the_published_number(tmp_path):
    root = tmp_path / "docs" / "studies"
    study = root / "003" / "003_x"
    layout.write_json_atomic(study / layout.STUDY_JSON, {
        "name": "003_x", "metric": "test_accuracy", "metric_scale": 100, "arms": ["jaring", "sklearn"],
        "settings": [{"id": "s00", "label": "relu"}], "published": {"relu": 94.91},
    })  # fmt: skip
    for arm, seed, value in (("jaring", 0, 0.95), ("jaring", 1, 0.97), ("sklearn", 0, 0.9)):
        folder = layout.trial_dir(study, layout.trial_key("s00", arm, seed))
        layout.write_json_atomic(
            folder / layout.PARAMS_JSON, {"trial_key": folder.name, "arm": arm, "label": "relu"}
        )
        layout.write_json_atomic(folder / layout.METRICS_JSON, {"test_accuracy": value})
    (row,) = summary_rows(root)
    link = "[003_x](../studies/003/003_x/report.md)"
    assert row == f"| {link} | relu | 94.91 | 96.00 ± 1.41 |  | 90.00 (sklearn) |"


def test_summary_rows_of_a_random_search_show_the_retrained_best_by_rank_then_the_published_ones(tmp_path):
    root = tmp_path / "docs" / "studies"
    study = root / "004" / "004_x"
    layout.write_json_atomic(study / layout.STUDY_JSON, {
        "name": "004_x", "kind": "random", "metric": "test_accuracy", "metric_scale": 100,
        "arms": ["jaring", "pytorch"], "settings": [], "published": {"lr=0.1": 90.5, "lr=1": 11.0},
    })  # fmt: skip
    runs = [  # (setting, arm, seed, phase, value): r2 searched best, r3 never re-trained
        ("r1", "jaring", 0, "search", 0.91), ("r2", "jaring", 0, "search", 0.95),
        ("r3", "jaring", 0, "search", 0.97),
        ("r1", "jaring", 1, "retrain", 0.93), ("r1", "pytorch", 0, "retrain", 0.92),
        ("r2", "jaring", 1, "retrain", 0.97), ("r2", "pytorch", 0, "retrain", 0.96),
    ]  # fmt: skip
    for setting, arm, seed, phase, value in runs:
        folder = layout.trial_dir(study, layout.trial_key(setting, arm, seed))
        params = {"trial_key": folder.name, "arm": arm, "label": f"lr={setting}", "phase": phase}
        layout.write_json_atomic(folder / layout.PARAMS_JSON, params)
        layout.write_json_atomic(folder / layout.METRICS_JSON, {"test_accuracy": value})
    link = "[004_x](../studies/004/004_x/report.md)"
    assert summary_rows(root) == [
        f"| {link} | search rank 1: lr=r2 |  | 96.00 ± 1.41 | 96.00 |  |",
        f"| {link} | search rank 2: lr=r1 |  | 92.00 ± 1.41 | 92.00 |  |",
        f"| {link} | published rank 1: lr=0.1 | 90.5 |  |  |  |",
        f"| {link} | published rank 2: lr=1 | 11.0 |  |  |  |",
    ]
