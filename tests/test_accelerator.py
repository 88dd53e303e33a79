"""jaring.accelerator answers as torch.accelerator does on a machine like this one."""

import pytest

import jaring

torch = pytest.importorskip("torch")


def test_the_tutorials_device_line_runs():
    device = jaring.accelerator.current_accelerator().type if jaring.accelerator.is_available() else "cpu"
    assert jaring.ones(2).to(device).device == device


def test_without_a_gpu_the_answers_are_torch_s():
    if jaring.cuda.is_available() or torch.accelerator.is_available():
        pytest.skip("this machine has a GPU")
    assert jaring.accelerator.is_available() is torch.accelerator.is_available() is False
    assert jaring.accelerator.current_accelerator() is torch.accelerator.current_accelerator() is None
    assert jaring.accelerator.device_count() == torch.accelerator.device_count() == 0
    assert jaring.accelerator.current_accelerator(check_available=True) is None
