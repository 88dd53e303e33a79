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


# Numba's cache locators test a place by writing a file there; this makes every place but the
# private fallback fail that test, as a read-only install with a read-only home directory does
# (the suite may run as root, for whom file permissions would not stop the write).
_READ_ONLY_EVERYWHERE = """
import os, tempfile, warnings
import numpy as np
import numba.core.caching as caching
real = caching._CacheLocator.ensure_cache_path
fallback = os.path.join(tempfile.gettempdir(), "jaring-numba-cache-")
def refuse_but_fallback(self):
    if not self.get_cache_path().startswith(fallback):
        raise OSError("read-only file system")
    return real(self)
caching._CacheLocator.ensure_cache_path = refuse_but_fallback
import jaring, numba
import jaring.functional as F
x = jaring.tensor(np.arange(32.0, dtype=np.float32).reshape(1, 2, 4, 4))
with warnings.catch_warnings(record=True) as seen:
    warnings.simplefilter("always")
    pooled = F.max_pool2d(x, 2)
    F.softmax(x, -1)  # a second kernel family: no second warning
print(pooled.numpy().ravel().tolist())
print(repr(numba.config.CACHE_DIR))
print(len(seen), seen[0].category.__name__, str(seen[0].message))
cached = [f for root, _, files in os.walk(jaring.kernels._private_cache) for f in files]
print(any(f.startswith("pool.max_pool_forward") for f in cached))
"""


def test_kernels_cache_in_a_private_directory_when_numba_has_nowhere_to_write(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path), "JARING_KERNELS": "numba"}
    env.pop("NUMBA_CACHE_DIR", None)
    done = subprocess.run(
        [sys.executable, "-c", _READ_ONLY_EVERYWHERE], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    values, cache_dir, warning, wrote = done.stdout.splitlines()
    assert values == "[5.0, 7.0, 13.0, 15.0, 21.0, 23.0, 29.0, 31.0]"
    assert cache_dir == "''"  # set for jaring's imports only, then restored
    assert warning.startswith("1 RuntimeWarning jaring: Numba cannot write its cache")
    assert "NUMBA_CACHE_DIR" in warning and str(tmp_path) in warning
    assert wrote == "True"
    private = next(tmp_path.glob("jaring-numba-cache-*"))
    assert private.stat().st_mode & 0o077 == 0  # only this user: Numba's cache index is a pickle
