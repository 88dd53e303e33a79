"""History records per-epoch logs as plain floats and exports them."""

import json

from jaring.training import History


def test_append_last_and_to_dict():
    h = History()
    h.append(1, {"loss": 2.0, "accuracy": 0.5})
    h.append(2, {"loss": 1.5, "accuracy": 0.75, "val_loss": 1.7})
    assert h.epoch == [1, 2] and len(h) == 2
    assert h.history["loss"] == [2.0, 1.5]
    assert h.last("val_loss") == 1.7 and h.last("missing") is None
    d = h.to_dict()
    assert d == {"epoch": [1, 2], "loss": [2.0, 1.5], "accuracy": [0.5, 0.75], "val_loss": [1.7]}
    json.dumps(d)
    d["loss"].append(0.0)
    assert h.history["loss"] == [2.0, 1.5]  # to_dict is a copy
    assert "loss=1.5" in repr(h)
