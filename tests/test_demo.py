"""The demo (jaring/demo.py and `jaring demo`): trains on digits end to end and writes its files."""

import json

import pytest

from jaring import cli, demo
from jaring.io import read_metadata
from jaring.models import FFNN


@pytest.mark.slow
def test_demo_runs_end_to_end_and_writes_its_files(tmp_path, capsys):
    result = demo.run(epochs=3, out_dir=tmp_path, name="quick", verbose=1)
    folder = tmp_path / "quick"
    assert sorted(p.name for p in folder.iterdir()) == ["history.json", "loss_curve.png", "model.jaring"]
    assert result["accuracy"] > 0.8 and 0 < result["macro_f1"] <= 1
    assert (folder / "loss_curve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(json.loads((folder / "history.json").read_text())["loss"]) == 3
    assert isinstance(FFNN.load(folder / "model.jaring"), FFNN)
    assert read_metadata(folder / "model.jaring")["extra"]["test_accuracy"] == result["accuracy"]
    captured = capsys.readouterr()
    assert "test accuracy" in captured.out and "macro-F1" in captured.out
    assert "Epoch 3/3" in captured.err and "val_loss=" in captured.err  # the progress bar


@pytest.mark.slow
def test_cli_demo_command(tmp_path, capsys):
    assert cli.main(["demo", "--epochs", "1", "--out", str(tmp_path), "--name", "cli"]) == 0
    assert (tmp_path / "cli" / "model.jaring").is_file()
    assert "test accuracy" in capsys.readouterr().out


def test_mnist_flag_without_data_explains_where_to_put_it(tmp_path, monkeypatch):
    monkeypatch.setenv("JARING_DATA", str(tmp_path / "nothing"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with pytest.raises(SystemExit, match=r"--mnist needs the MNIST files.*JARING_DATA"):
        demo.main(["--mnist", "--out", str(tmp_path)])
