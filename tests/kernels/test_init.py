"""The kernels switch: NumPy data only, the mode from $JARING_KERNELS, and `use` restores the mode."""

import os
import subprocess
import sys

import numpy as np
import pytest

from jaring import kernels


def test_enabled_only_for_numpy_arrays_in_numba_mode():
    a = np.zeros(3)
    with kernels.use("numba"):
        assert kernels.enabled(a, a)
        assert not kernels.enabled(a, [1.0])
        assert not kernels.enabled(a, np.ma.masked_array(a))
    with kernels.use("numpy"):
        assert not kernels.enabled(a)


def test_use_restores_the_mode_after_an_error():
    before = kernels.mode()
    with pytest.raises(RuntimeError), kernels.use("numpy" if before == "numba" else "numba"):
        raise RuntimeError
    assert kernels.mode() == before


def test_a_bad_mode_names_what_is_allowed():
    with pytest.raises(ValueError, match="'numba', 'numpy'.*'fast'"):
        kernels.set_mode("fast")


@pytest.mark.slow  # fresh Python processes
def test_the_environment_sets_the_starting_mode():
    code = "import jaring.kernels as k; print(k.mode())"
    env = {"JARING_KERNELS": "NumPy", "PATH": ""}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "numpy"
    bad_env = {**env, "JARING_KERNELS": "gpu"}
    bad = subprocess.run([sys.executable, "-c", code], env=bad_env, capture_output=True, text=True)
    assert bad.returncode != 0 and "$JARING_KERNELS must be one of" in bad.stderr


@pytest.mark.slow  # a fresh Python process
def test_importing_jaring_leaves_numba_for_the_first_kernel_call():
    code = (
        "import sys, numpy as np, jaring\n"
        "assert 'numba' not in sys.modules, 'import jaring imported numba'\n"
        "jaring.nn.MaxPool2D(2)(jaring.ones(1, 4, 4, 1))\n"
        "assert 'numba' in sys.modules and 'jaring.kernels.pool' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "JARING_KERNELS": "numba"})
