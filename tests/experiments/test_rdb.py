"""--storage URLs: a malformed one, a server that is down and an unknown study name each stop the
command with a clear error within seconds (never a hang); the trial states a real server keeps."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest

from jaring.experiments.rdb import StorageError, check_url, safe_url
from tests.experiments.services import ROOT, jaring, postgres_url

pytestmark = pytest.mark.distributed
SECONDS = 20  # the connect timeout is 5 s; a loaded machine needs a few more to start Python


def test_a_url_that_is_not_a_database_is_refused_with_what_is_allowed():
    with pytest.raises(StorageError, match=r"not a PostgreSQL or MySQL URL; expected postgresql://USER"):
        check_url("runs/journal.log")
    assert "secret" not in safe_url("postgresql://me:secret@db.example/studies")


def fails_fast(*args: str) -> str:
    """Run `jaring study worker ARGS`: it must exit with status 2 within SECONDS; its stderr."""
    start = time.monotonic()
    proc = subprocess.run(jaring("study", "worker", *args), cwd=ROOT, capture_output=True, text=True,
                          timeout=SECONDS * 3)  # fmt: skip
    elapsed = time.monotonic() - start
    assert proc.returncode == 2, proc.stderr
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    return proc.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_misspelt_scheme_fails_fast():
    postgres_url()
    err = fails_fast("--storage", "postgress://x@127.0.0.1/db", "--study", "a")
    assert "not a PostgreSQL or MySQL URL" in err


def test_a_server_that_is_down_fails_fast():
    postgres_url()
    url = f"postgresql://jaring@127.0.0.1:{free_port()}/jaring_test"
    err = fails_fast("--storage", url, "--study", "a")
    assert "cannot use the database" in err and "127.0.0.1" in err


def test_a_wrong_database_name_fails_fast():
    url = postgres_url().rsplit("/", 1)[0] + "/no_such_database"
    assert 'database "no_such_database" does not exist' in fails_fast("--storage", url, "--study", "a")


def test_an_unknown_study_fails_fast_naming_the_study():
    err = fails_fast("--storage", postgres_url(), "--study", "no_such_study")
    assert "--study 'no_such_study': no such study" in err
