"""Atomic writes: unique temporaries beside the target, removed on failure and after a killed save."""

import os
import subprocess
import sys

import pytest

from jaring import nn
from jaring.atomic import leftover_temporaries, write_atomically
from jaring.io import load, save


def dead_pid() -> int:
    """The id of a process that has exited (and been reaped), so it is no longer running."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_file_appears_whole_and_no_temporary_stays(tmp_path):
    target = tmp_path / "out.bin"
    write_atomically(target, lambda f: f.write(b"abc"))
    assert target.read_bytes() == b"abc"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_a_failing_writer_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")

    def broken(f):
        f.write(b"half")
        raise KeyboardInterrupt  # even an interrupt removes the temporary

    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, broken)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_the_next_save_removes_what_a_killed_save_left(tmp_path):
    target = tmp_path / "model.jaring"
    stale = tmp_path / f".model.jaring.{dead_pid()}.abc123.tmp"
    stale.write_bytes(b"x" * 1000)  # what a save killed between writing and renaming leaves
    ours = tmp_path / f".model.jaring.{os.getpid()}.live.tmp"  # a save still running in this process
    other = tmp_path / ".other.jaring.1.x.tmp"  # another target's: not ours to remove
    ours.write_bytes(b"")
    other.write_bytes(b"")
    assert leftover_temporaries(target) == [stale]
    save(nn.Sequential(nn.Linear(2, 2, seed=0)), target)
    assert not stale.exists() and ours.exists() and other.exists()
    assert isinstance(load(target), nn.Sequential)


def test_temporary_names_are_unique_and_beside_the_target(tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append(src)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    for _ in range(3):
        write_atomically(tmp_path / "sub" / "out.bin", lambda f: f.write(b"1"))
    assert len(set(seen)) == 3
    assert all(os.path.dirname(s) == str(tmp_path / "sub") for s in seen)
    assert all(os.path.basename(s).startswith(f".out.bin.{os.getpid()}.") for s in seen)
