"""conftest.py's --shard K/N, which `make test-fast` uses to run two halves at once: every test runs
in exactly one share, a file's tests stay together, and the shares get similar numbers of tests."""

from pathlib import Path
from types import SimpleNamespace

import pytest

import conftest


def shard(items: list, spec: str) -> tuple[list, list]:
    deselected: list = []
    config = SimpleNamespace(
        getoption=lambda name: spec,
        hook=SimpleNamespace(pytest_deselected=lambda items: deselected.extend(items)),
    )
    kept = list(items)
    conftest.pytest_collection_modifyitems(config, kept)
    return kept, deselected


def fake_items() -> list:
    sizes = {"a.py": 50, "b.py": 30, "c.py": 25, "d.py": 5, "e.py": 1}
    return [SimpleNamespace(path=Path(name), index=i) for name, n in sizes.items() for i in range(n)]


def test_every_test_runs_in_exactly_one_share_and_files_stay_whole():
    items = fake_items()
    shares = [shard(items, f"{k}/2")[0] for k in (1, 2)]
    assert sorted(map(id, shares[0] + shares[1])) == sorted(map(id, items))
    files = [{item.path for item in share} for share in shares]
    assert not files[0] & files[1]
    assert [len(share) for share in shares] == [56, 55]  # a + d + e against b + c


def test_each_share_reports_what_it_leaves_to_the_others():
    items = fake_items()
    kept, deselected = shard(items, "3/3")
    assert len(kept) + len(deselected) == len(items) and kept


@pytest.mark.parametrize("spec", ["2", "0/2", "3/2", "a/b"])
def test_a_bad_shard_is_a_usage_error(spec):
    with pytest.raises(pytest.UsageError, match="--shard"):
        shard(fake_items(), spec)
