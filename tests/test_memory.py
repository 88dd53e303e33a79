"""jaring/memory.py: freed big arrays are reused without page faults after keep_freed_memory(), and
importing jaring leaves malloc alone."""

import os
import resource
import subprocess
import sys

import numpy as np
import pytest


glibc = pytest.mark.skipif(
    not hasattr(os, "confstr") or not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"),
    reason="malloc settings are glibc's",
)


def faults_of_fresh_arrays(repeats: int = 10, floats: int = 2_000_000) -> int:
    """Minor page faults while allocating, touching and freeing an 8 MB array `repeats` times."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(repeats):
        np.ones(floats, dtype=np.float32)
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


@pytest.mark.slow  # a fresh Python process
@glibc
def test_freed_arrays_come_back_without_page_faults():
    # In a fresh process: a heap grown by earlier tests (and never trimmed) would serve the
    # arrays from its free top without page faults whatever the settings, and prove nothing.
    code = (
        "from tests.test_memory import faults_of_fresh_arrays\n"
        "from jaring.memory import keep_freed_memory\n"
        "assert keep_freed_memory(False)\n"
        "default = faults_of_fresh_arrays()\n"
        "assert keep_freed_memory(True)\n"
        "faults_of_fresh_arrays(1)  # the first one grows the heap\n"
        "print(default, faults_of_fresh_arrays())\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    default, kept = map(int, out.stdout.split()[-2:])
    # 8 MB is 2000 pages, fewer faults where the kernel backs some with huge pages.
    assert default > 200 and kept < default / 10, (default, kept)


@pytest.mark.slow  # a fresh Python process
@glibc
def test_importing_jaring_leaves_malloc_alone():
    code = (
        "import resource, numpy as np, jaring\n"
        "np.ones(2_000_000, dtype=np.float32)\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt\n"
        "for _ in range(5):\n"
        "    np.ones(2_000_000, dtype=np.float32)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout.split()[-1]) > 100  # malloc's defaults: every 8 MB array faults back in
