"""Repository-wide pytest setup: docstring examples (doctests in jaring/) run in a fresh temporary
folder, so an example that saves a file leaves nothing behind."""

import pytest
from _pytest.doctest import DoctestItem

# Doctest collection imports every module of jaring/. This one holds no examples and imports Keras
# at the top, which takes seconds (torch._dynamo behind Keras's torch backend), so collecting it
# would slow every run, even those that run no Keras test.
collect_ignore = ["jaring/experiments/arms/keras_arm.py"]


@pytest.fixture(autouse=True)
def _doctests_run_in_a_temporary_folder(request: pytest.FixtureRequest) -> None:
    # The temporary folder is asked for only by doctests: making one for each of the thousands of
    # other tests would cost a directory and its clean-up apiece.
    if isinstance(request.node, DoctestItem):
        tmp_path = request.getfixturevalue("tmp_path")
        request.getfixturevalue("monkeypatch").chdir(tmp_path)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--shard",
        default=None,
        metavar="K/N",
        help="run only the K-th (1-based) of N shares of the test files, balanced by their number of "
        "tests; `make test-fast` runs two shares at once, one per core",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    spec = config.getoption("--shard")
    if not spec:
        return
    try:
        k, n = (int(part) for part in spec.split("/"))
    except ValueError:
        raise pytest.UsageError(f"--shard takes K/N, e.g. 1/2; got {spec!r}") from None
    if not 1 <= k <= n:
        raise pytest.UsageError(f"--shard {spec}: K must be in 1..N")
    # Whole files go to one share, so that module-scoped fixtures are built once; the largest
    # files are dealt first, each to the share with the fewest tests so far.
    per_file: dict[str, int] = {}
    for item in items:
        per_file[str(item.path)] = per_file.get(str(item.path), 0) + 1
    load, share = [0] * n, {}
    for path in sorted(per_file, key=lambda p: (-per_file[p], p)):
        share[path] = min(range(n), key=lambda i: (load[i], i))
        load[share[path]] += per_file[path]
    keep = [item for item in items if share[str(item.path)] == k - 1]
    dropped = [item for item in items if share[str(item.path)] != k - 1]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = keep
