"""The kernels switch: NumPy data only, the mode from $JARING_KERNELS, and `use` restores the mode."""

import os
import subprocess
import sys

import numpy as np
import pytest

import jaring
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


def test_dtypes_numba_cannot_compile_take_the_reference_code():
    assert kernels.enabled(np.zeros(2, np.float32), np.zeros(2, np.int64), np.zeros(2, bool))
    assert not kernels.enabled(np.zeros(2, np.float16))
    assert not kernels.enabled(np.zeros(2, np.dtype(">f8")))  # non-native byte order
    assert not kernels.enabled(np.zeros(2, np.complex64), np.zeros(2, object))


def _float16_pipeline(mode):
    """Pooling, softmax, cross-entropy and the fused optimizers on float16: every kernel family's
    entry point, which must fall back to the reference code rather than fail to compile."""
    from jaring.optim import SGD, Adam, RMSprop

    with kernels.use(mode):
        x = jaring.tensor(np.linspace(-1, 1, 32, dtype=np.float16).reshape(1, 2, 4, 4), requires_grad=True)
        pooled = jaring.functional.max_pool2d(x, 2) + jaring.functional.avg_pool2d(x, 2)
        logits = pooled.reshape(2, 4)
        loss = (
            jaring.functional.cross_entropy(logits, np.array([0, 3]))
            + jaring.functional.softmax(logits).sum()
        )
        loss.backward()
        steps = []
        for optimizer in (SGD, Adam, RMSprop):
            p = jaring.tensor(np.ones(3, np.float16), requires_grad=True)
            (p * p).sum().backward()
            optimizer([p], lr=0.1).step()
            steps.append(p.numpy())
        return loss.numpy(), x.grad.numpy(), steps


def test_float16_runs_through_every_kernel_family_as_the_reference_does():
    loss, grad, steps = _float16_pipeline("numba")
    ref_loss, ref_grad, ref_steps = _float16_pipeline("numpy")
    assert loss.dtype == grad.dtype == np.float16
    np.testing.assert_array_equal(loss, ref_loss)
    np.testing.assert_array_equal(grad, ref_grad)
    for ours, ref in zip(steps, ref_steps):
        np.testing.assert_array_equal(ours, ref)
