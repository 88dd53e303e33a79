"""What the benchmark scripts share: the goals they are held to and the file `--json PATH` writes.

Every script in benchmarks/ measures jaring against PyTorch in the same run and prints a table
and JSON lines; with `--json PATH` it also writes one file that benchmarks/publish.py turns into
a documentation page:

    {"schema": 1, "script": "cnn", "command": "python benchmarks/cnn.py --repeats 20 ...",
     "argv": [...], "date": "2026-12-02T07:00:00Z", "cpu_count": 2, "cpus_usable": 2,
     "threads": {"torch": 2, "blas": 2}, "versions": {"python": ..., "numpy": ..., "torch": ...},
     "lines": [every JSON line the script printed, as objects],
     "records": [{"benchmark": "cnn_train_step", "arm": "jaring", "jaring_s": ..., "torch_s": ...,
                  "ratio": ..., "round_ratios": [every round's ratio], "goal": 0.85,
                  "clock": "wall", ...}, ...]}

A record's `jaring_s` is the median seconds of its arm ("jaring": the compiled kernels,
"jaring_numpy": the same code under JARING_KERNELS=numpy, "numpy": a hand-written NumPy loop),
`torch_s` PyTorch's median in the same rounds, `ratio` the script's headline ratio and
`round_ratios` the ratio of the arm's time to PyTorch's in each round, in round order.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path

SCHEMA = 1

# jaring's time over PyTorch's, measured in the same run: issue 15's goals, and issue 2's for the
# op chain. None: the measurement is reported without a goal (the MLP epoch's CPU time is a
# steadier view of the same epoch on a busy machine; issue 15's goal is for its wall time).
GOALS: dict[str, float | None] = {
    "record_op": 0.5,
    "chain_op": 1.0,
    "mlp_epoch": 0.6,
    "mlp_epoch_cpu": None,
    "cnn_train_step": 0.85,
    "cnn_inference": 0.6,
    "six_conv_forward": 1.0,
    "lstm_train_step": 0.6,
    "lstm_inference": 0.7,
}


# How long an arm runs untimed after the benchmark switches to it, before its timed calls. After
# a call, OpenBLAS's threads spin for about 0.1 s (2**28 cycles, its default THREAD_TIMEOUT)
# and OpenMP's for a while too, taking cores from whichever library runs next; a library's own
# threads fall asleep while the others run. A user's loop runs one library alone, and so should
# the timed calls: 0.2 s of settling gave the times each library takes when it runs alone.
SETTLE_S = 0.2


def settle(fn, seconds: float = SETTLE_S, clock=time.perf_counter) -> None:
    """Call fn() untimed until `seconds` have passed (at least once).

    >>> calls = []
    >>> settle(lambda: calls.append(1), seconds=0.0)
    >>> len(calls)
    1
    """
    start = clock()
    fn()
    while clock() - start < seconds:
        fn()


def rounds_of_blocks(
    fns: dict[str, Callable], rounds: int, block: int = 1, warmup: int = 3, clock=time.perf_counter
) -> dict[str, list[float]]:
    """Seconds per call of each function in each of `rounds` rounds, after `warmup` untimed calls
    of each: in a round every function runs one block of `block` calls, so that all of them see
    the same machine load.

    Blocks, not single calls, each after the arm has run untimed for SETTLE_S (`settle`): each
    library's idle threads would otherwise slow the other's next calls.

    >>> calls = []
    >>> times = rounds_of_blocks({"a": lambda: calls.append("a"), "b": lambda: None}, rounds=1, block=2)
    >>> list(times), [len(t) for t in times.values()], calls[:3]
    (['a', 'b'], [1, 1], ['a', 'a', 'a'])
    """
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            settle(fn)  # the calls just after a switch pay for the other library's threads
            start = clock()
            for _ in range(block):
                fn()
            times[name].append((clock() - start) / block)
    return times


def goal(benchmark: str) -> float | None:
    """The goal for `benchmark`'s ratio to PyTorch (None: none set).

    >>> goal("cnn_train_step"), goal("mlp_epoch_cpu")
    (0.85, None)
    """
    if benchmark not in GOALS:
        raise KeyError(f"no goal entry for {benchmark!r}: add it to GOALS in benchmarks/record.py")
    return GOALS[benchmark]


def measurement(
    benchmark: str,
    arm: str,
    jaring_s: float,
    torch_s: float,
    ratio: float,
    round_ratios: list[float],
    clock: str,
    **extra: object,
) -> dict:
    """One record: an arm's median seconds against PyTorch's, its ratio and every round's ratio.

    >>> r = measurement("lstm_inference", "jaring", 0.002, 0.004, 0.5, [0.4, 0.6], "wall", batch=32)
    >>> r["goal"], r["round_ratios"], r["batch"]
    (0.7, [0.4, 0.6], 32)
    """
    return {
        "benchmark": benchmark,
        "arm": arm,
        "jaring_s": float(jaring_s),
        "torch_s": float(torch_s),
        "ratio": float(ratio),
        "round_ratios": [float(r) for r in round_ratios],
        "goal": goal(benchmark),
        "clock": clock,
        **extra,
    }


class Lines(list):
    """The JSON lines a script prints, kept for its --json file."""

    def print(self, obj: dict) -> None:
        """Print `obj` as one JSON line (as the scripts always have) and keep it."""
        print(json.dumps(obj))
        self.append(obj)


def _blas_threads() -> int | None:
    from threadpoolctl import threadpool_info

    counts = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    return max(counts) if counts else None


def environment() -> dict:
    """The machine and library versions, and the threads PyTorch and NumPy's BLAS use right now
    (call it where the script's thread limits are in force)."""
    import numpy
    import torch

    import jaring

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "threads": {"torch": torch.get_num_threads(), "blas": _blas_threads()},
        "versions": {
            "python": platform.python_version(),
            "numpy": numpy.__version__,
            "torch": torch.__version__,
            "jaring": jaring.__version__,
        },
        "platform": platform.platform(),
    }


def command(argv: list[str] | None = None) -> str:
    """The command line that ran this script, with the script named from the repository root.

    >>> command(["/somewhere/benchmarks/cnn.py", "--repeats", "2", "--json", "runs/bench/cnn.json"])
    'python benchmarks/cnn.py --repeats 2 --json runs/bench/cnn.json'
    """
    argv = sys.argv if argv is None else argv
    return shlex.join(["python", f"benchmarks/{Path(argv[0]).name}", *argv[1:]])


def document(script: str, records: list[dict], lines: list[dict], env: dict | None = None) -> dict:
    """The whole --json file for one run of `script` (its file name without .py)."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return {
        "schema": SCHEMA,
        "script": script,
        "command": command(),
        "argv": sys.argv[1:],
        "date": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        **(environment() if env is None else env),
        "lines": lines,
        "records": records,
    }


def write(path: str | os.PathLike, script: str, records: list[dict], lines: list[dict], env=None) -> Path:
    """Write the --json file atomically (a temporary beside it, then one rename), so a killed
    run leaves the previous file, never half of one."""
    from jaring.atomic import write_atomically

    text = json.dumps(document(script, records, lines, env), indent=1) + "\n"
    return write_atomically(path, lambda f: f.write(text.encode("utf-8")))
