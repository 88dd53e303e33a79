"""torch's out= keyword on the top-level functions, against torch."""

import numpy as np
import pytest

import jaring

torch = pytest.importorskip("torch")

A = np.arange(6, dtype=np.float32).reshape(2, 3) / 3
B = np.ones((3, 2), np.float32) * 0.5


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("matmul", (A, B)),
        ("mul", (A, A)),
        ("add", (A, 2.0)),
        ("sub", (A, A.T.T * 2)),
        ("div", (A, 3.0)),
        ("exp", (A,)),
        ("sqrt", (A,)),
        ("maximum", (A, A[::-1].copy())),
        ("cat", ([A, A],)),
        ("stack", ([A, A],)),
    ],
)
def test_out_receives_torch_s_result_in_its_own_memory(name, args):
    def make(lib, value):
        if isinstance(value, list):
            return [make(lib, v) for v in value]
        return lib.tensor(value) if isinstance(value, np.ndarray) else value

    expected = getattr(torch, name)(*[make(torch, a) for a in args])
    out = jaring.zeros(*expected.shape)
    memory = out.data
    version = out._version
    assert getattr(jaring, name)(*[make(jaring, a) for a in args], out=out) is out
    assert out.data is memory and out._version == version + 1
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-6)


def test_out_of_another_shape_takes_the_result_s_shape_and_keeps_its_dtype():
    out = jaring.zeros(1, dtype=np.float64)
    jaring.matmul(jaring.tensor(A), jaring.tensor(B), out=out)
    assert out.shape == (2, 2) and out.dtype == np.float64


def test_out_is_not_differentiable_as_in_torch():
    w = jaring.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        jaring.mul(w, 2.0, out=jaring.zeros(2))
    with jaring.no_grad():
        assert jaring.mul(w, 2.0, out=jaring.zeros(2)).tolist() == [2.0, 2.0]
    with pytest.raises(TypeError, match="must be a Tensor"):
        jaring.add(w, 1.0, out=np.zeros(2))
