"""jaring/backends/: torch.backends's answers (no MPS, no cuDNN, CUDA built when CuPy is there)
and cuDNN's flags, stored as set."""

import importlib.util

import pytest

import jaring
import jaring.backends.cudnn as cudnn

torch = pytest.importorskip("torch")


def test_mps_and_cudnn_are_absent_as_torch_reports_on_this_cpu_machine():
    assert jaring.backends.mps.is_available() is False and jaring.backends.mps.is_built() is False
    assert jaring.backends.cudnn.is_available() is False
    if not torch.backends.mps.is_built():
        assert jaring.backends.mps.is_built() == torch.backends.mps.is_built()


def test_cuda_is_built_when_cupy_is_installed():
    assert jaring.backends.cuda.is_built() is (importlib.util.find_spec("cupy") is not None)
    if jaring.cuda.is_available():
        assert jaring.backends.cuda.is_built()


def test_cudnn_flags_start_at_torchs_defaults_and_keep_what_is_set():
    names = ("enabled", "benchmark", "deterministic")
    assert [getattr(cudnn, n) for n in names] == [getattr(torch.backends.cudnn, n) for n in names]
    before = [getattr(cudnn, n) for n in names]
    try:
        jaring.backends.cudnn.benchmark = True
        jaring.backends.cudnn.deterministic = True
        jaring.backends.cudnn.enabled = False
        assert (cudnn.benchmark, cudnn.deterministic, cudnn.enabled) == (True, True, False)
    finally:
        for n, value in zip(names, before):
            setattr(cudnn, n, value)


def test_the_torch_import_spellings_work():
    from jaring.backends import cudnn as imported

    assert imported is jaring.backends.cudnn
