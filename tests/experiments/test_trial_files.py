"""Trial files packed into strings and back (how outputs travel without a shared folder)."""

from pathlib import Path

import numpy as np

from jaring.experiments import layout
from jaring.experiments.trial_files import CHUNK, MANIFEST, pack, unpack


def test_files_come_back_byte_for_byte_and_weights_only_when_asked(tmp_path: Path):
    folder = tmp_path / "a"
    layout.write_json_atomic(folder / layout.METRICS_JSON, {"test_accuracy": 0.5, "status": "complete"})
    layout.write_json_atomic(folder / layout.HISTORY_JSON, {"epoch": {"loss": [1.0, 0.5]}})
    weights = np.random.default_rng(0).standard_normal(40_000).tobytes()  # incompressible: many parts
    layout.write_bytes_atomic(folder / layout.WEIGHTS, weights)
    without = pack(folder, weights=False)
    assert not any(layout.WEIGHTS in k for k in without) and MANIFEST in without
    attrs = pack(folder, weights=True)
    assert max(len(v) for v in attrs.values()) <= CHUNK
    assert sum(layout.WEIGHTS in k for k in attrs) > 1
    names = unpack(attrs, tmp_path / "b")
    assert names[-1] == layout.METRICS_JSON  # written last: the folder counts as complete only then
    for name in (layout.METRICS_JSON, layout.HISTORY_JSON, layout.WEIGHTS):
        assert (tmp_path / "b" / name).read_bytes() == (folder / name).read_bytes()
