"""jaring/viz/history.py: training vs validation curves per epoch, from a History or its dict."""

import numpy as np
import pytest

from jaring.training import History
from jaring.viz import plot_history
from tests.viz.pictures import assert_drawn_png


def _history() -> History:
    history = History()
    for epoch, (loss, val, acc, val_acc) in enumerate(
        [(1.0, 1.1, 0.5, 0.4), (0.6, 0.8, 0.7, 0.6), (0.4, 0.7, 0.8, 0.65)], 1
    ):
        history.append(epoch, {"loss": loss, "accuracy": acc, "val_loss": val, "val_accuracy": val_acc})
    return history


def test_loss_and_metric_panels_with_training_and_validation(tmp_path):
    fig = plot_history(_history(), tmp_path / "h.png")
    loss_ax, acc_ax = fig.axes[:2]
    assert loss_ax.get_title() == "loss" and acc_ax.get_title() == "accuracy"
    train, val = loss_ax.get_lines()
    np.testing.assert_allclose(train.get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(train.get_ydata(), [1.0, 0.6, 0.4])
    np.testing.assert_allclose(val.get_ydata(), [1.1, 0.8, 0.7])
    assert [t.get_text() for t in loss_ax.get_legend().get_texts()] == ["training", "validation"]
    assert_drawn_png(tmp_path / "h.png")


def test_plain_dict_without_validation_and_metric_filter():
    fig = plot_history({"loss": [3.0, 2.0], "accuracy": [0.1, 0.2]}, metrics=["accuracy"])
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == ["accuracy"]
    assert len(visible[0].get_lines()) == 1


def test_history_from_fit_is_plotted():
    from jaring.models import FFNN

    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(20, 3)).astype(np.float32), rng.integers(0, 2, size=20)
    model = FFNN([3, 4, 2], ["relu", "softmax"], seed=0)
    history = model.fit(x, y, epochs=2, validation_data=(x, y), metrics=["accuracy"])
    fig = plot_history(history)
    assert [ax.get_title() for ax in fig.axes if ax.get_visible()] == ["loss", "accuracy"]


@pytest.mark.parametrize(
    "bad, error, message",
    [
        ([1, 2], TypeError, "needs a History"),
        ({"loss": []}, ValueError, "history is empty"),
    ],
)
def test_bad_histories_are_refused(bad, error, message):
    with pytest.raises(error, match=message):
        plot_history(bad)


def test_unknown_metric_lists_what_exists():
    with pytest.raises(ValueError, match="the history has \\['loss', 'accuracy'\\]"):
        plot_history(_history(), metrics=["f1"])
