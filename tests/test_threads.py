"""jaring/threads.py: set_num_threads caps NumPy's BLAS pool and get_num_threads reads it back."""

import sys

import pytest
from threadpoolctl import threadpool_info

import jaring


@pytest.fixture
def restored():
    before, interop = jaring.get_num_threads(), jaring.get_num_interop_threads()
    yield
    jaring.set_num_threads(before)
    jaring.set_num_interop_threads(interop)


def _blas_threads():
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_set_then_get_and_the_blas_pool_follows(restored):
    if not _blas_threads():
        pytest.skip("NumPy here has no BLAS thread pool that threadpoolctl sees")
    jaring.set_num_threads(1)
    assert jaring.get_num_threads() == 1 and set(_blas_threads()) == {1}
    jaring.set_num_threads(2)
    assert jaring.get_num_threads() == 2 and set(_blas_threads()) == {2}


def test_matmul_still_right_on_one_thread(restored):
    jaring.set_num_threads(1)
    a = jaring.ones(64, 32)
    assert (a @ a.T).tolist()[0][0] == 32.0


def test_bad_counts_are_torchs_runtime_errors():
    torch = pytest.importorskip("torch")
    for bad in (0, -1, 1.5, "2", True):
        with pytest.raises(RuntimeError):
            torch.set_num_threads(bad)
        with pytest.raises(RuntimeError, match="set_num_threads expects"):
            jaring.set_num_threads(bad)
        with pytest.raises(RuntimeError, match="set_num_interop_threads expects"):
            jaring.set_num_interop_threads(bad)


def test_interop_threads_are_recorded(restored):
    assert jaring.get_num_interop_threads() == 1
    jaring.set_num_interop_threads(3)
    assert jaring.get_num_interop_threads() == 3


def test_numba_is_not_imported_to_set_threads(restored):
    if "numba" in sys.modules:
        pytest.skip("numba was imported by an earlier test")
    jaring.set_num_threads(1)
    assert "numba" not in sys.modules


def test_a_launched_numba_pool_is_set_too(restored):
    numba = pytest.importorskip("numba")
    numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)  # launches the threading layer
    jaring.set_num_threads(1)
    assert numba.get_num_threads() == 1
    numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
