"""jaring.inference_mode records nothing, as torch's, and inference_mode(False) changes nothing."""

import pytest

import jaring

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("outer", ["none", "no_grad", "enable_grad"])
@pytest.mark.parametrize("mode", [True, False])
def test_recording_matches_torch(outer, mode):
    seen = []
    for lib in (jaring, torch):
        w = lib.ones(2, requires_grad=True)
        around = {"none": None, "no_grad": lib.no_grad(), "enable_grad": lib.enable_grad()}[outer]
        if around is None:
            with lib.inference_mode(mode):
                seen.append((w * 2).requires_grad)
        else:
            with around, lib.inference_mode(mode):
                seen.append((w * 2).requires_grad)
        seen.append((w * 2).requires_grad)  # restored afterwards
    assert seen[:2] == seen[2:]


def test_as_a_decorator():
    w = jaring.ones(2, requires_grad=True)

    @jaring.inference_mode()
    def evaluate():
        return w * 2

    assert not evaluate().requires_grad and (w * 2).requires_grad
