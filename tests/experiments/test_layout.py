"""The study folder's shared helpers: atomic JSON and the list of completed trials."""

from __future__ import annotations

import os

from jaring.experiments import layout


def test_write_json_atomic_replaces_whole_files_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "a" / "x.json"
    layout.write_json_atomic(path, {"v": 1})
    layout.write_json_atomic(path, {"v": [1, 2]})
    assert layout.read_json(path) == {"v": [1, 2]}
    assert os.listdir(path.parent) == ["x.json"]


def test_completed_trials_merge_params_and_metrics_and_skip_unfinished(tmp_path):
    done = layout.trial_dir(tmp_path, layout.trial_key("s00", "jaring", 0))
    layout.write_json_atomic(done / layout.PARAMS_JSON, {"trial_key": "s00__jaring__s0", "arm": "jaring"})
    layout.write_json_atomic(done / layout.METRICS_JSON, {"test_accuracy": 0.9, "status": "complete"})
    half = layout.trial_dir(tmp_path, layout.trial_key("s01", "jaring", 0))
    layout.write_json_atomic(half / layout.PARAMS_JSON, {"trial_key": "s01__jaring__s0"})
    trials = layout.completed_trials(tmp_path)
    assert [t["trial_key"] for t in trials] == ["s00__jaring__s0"]
    assert trials[0]["test_accuracy"] == 0.9 and trials[0]["path"] == done
    assert layout.completed_trials(tmp_path / "nothing") == []
