"""The `jaring study` command: a bad study file is one clear error and exit status 2, not a traceback."""

from __future__ import annotations

import pytest

from jaring.cli import main


def test_a_bad_study_file_exits_2_with_the_message(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text('[study]\nkind = "bayes"\n')
    assert main(["study", "run", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "study.kind" in err and str(path) in err


def test_workers_must_be_positive(capsys):
    with pytest.raises(SystemExit):
        main(["study", "run", "x.toml", "--workers", "0"])
    assert "must be an integer >= 1" in capsys.readouterr().err
