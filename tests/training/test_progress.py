"""The progress bar: silent when disabled, shows loss and the epoch's results when enabled."""

import io

from jaring.training import ProgressBar


def test_disabled_bar_writes_nothing(capsys):
    bar = ProgressBar(3, 1, 2, verbose=0)
    for _ in range(3):
        bar.update(0.5)
    bar.close({"loss": 0.5})
    assert capsys.readouterr() == ("", "")


def test_enabled_bar_shows_epoch_loss_and_val_loss():
    out = io.StringIO()
    bar = ProgressBar(2, 3, 10, verbose=1, file=out)
    bar.update(0.9)
    bar.update(0.8)
    bar.close({"loss": 0.8, "val_loss": 0.85})
    text = out.getvalue()
    assert "Epoch  3/10" in text and "2/2" in text
    assert "loss=0.8000" in text and "val_loss=0.8500" in text
