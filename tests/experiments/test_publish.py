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
