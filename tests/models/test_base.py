"""jaring/models/base.py: what every ready model shares, and the pictures it draws of itself."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from jaring.models import CNN, FFNN, TextClassifier
from jaring.models.base import ReadyModel


@pytest.mark.parametrize("cls", [FFNN, CNN, TextClassifier])
def test_every_ready_model_is_a_ready_model_with_its_pictures(cls):
    assert issubclass(cls, ReadyModel)
    for name in ("fit", "predict", "predict_classes", "evaluate", "save", "load"):
        assert callable(getattr(cls, name)), name
    for name in ("plot_network", "plot_weights", "plot_gradients"):
        assert callable(getattr(cls, name)), name


def test_a_trained_model_draws_its_network_weights_and_gradients(tmp_path):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(12, 4)).astype(np.float32), rng.integers(0, 3, size=12)
    model = FFNN([4, 5, 3], ["relu", "softmax"], seed=0)
    model.fit(x, y, epochs=1)
    for picture in (model.plot_network(tmp_path / "n.png"), model.plot_weights([0]), model.plot_gradients()):
        assert isinstance(picture, Figure)
    assert (tmp_path / "n.png").stat().st_size > 0


def test_load_refuses_a_file_of_another_model(tmp_path):
    path = FFNN([4, 3], ["softmax"], seed=0).save(tmp_path / "ffnn.jaring")
    assert isinstance(FFNN.load(path), FFNN)
    with pytest.raises(TypeError, match="holds a FFNN, not an CNN"):
        CNN.load(path)
