"""The methods of jaring/ops/tensor_methods_math.py: installed on Tensor under torch's names, each
the same as its function; x.softplus(beta, threshold) against torch's F.softplus."""

import numpy as np
import pytest
import torch

import jaring
from jaring.ops import tensor_methods_math
from tests.oracle import check_gradients, random_array
from tests.ops.dtype_oracle import compare_in_dtype

ONE_ARGUMENT = (
    "erfinv lgamma digamma logit sinc deg2rad rad2deg signbit sgn reciprocal negative positive".split()
)
TWO_ARGUMENTS = "xlogy atan2 arctan2 hypot copysign heaviside nextafter float_power ldexp true_divide".split()


def test_every_method_is_installed_and_torch_has_it_too():
    for name, method in tensor_methods_math.METHODS.items():
        assert getattr(jaring.Tensor, name) is method
        assert name == "softplus" or hasattr(torch.Tensor, name), name


@pytest.mark.parametrize("name", ONE_ARGUMENT + TWO_ARGUMENTS)
def test_method_equals_function_and_torch_method(name):
    data = random_array((2, 3), seed=1, low=0.1, high=0.9)
    x, t = jaring.tensor(data), torch.tensor(data)
    args = [] if name in ONE_ARGUMENT else [jaring.tensor(data[0])]
    torch_args = [] if name in ONE_ARGUMENT else [torch.tensor(data[0])]
    out = getattr(x, name)(*args)
    np.testing.assert_array_equal(out.numpy(), getattr(jaring, name)(x, *args).numpy())
    np.testing.assert_allclose(out.numpy(), getattr(t, name)(*torch_args).numpy(), rtol=1e-6, atol=1e-6)


def test_methods_with_keywords():
    x, a, b = (jaring.tensor(random_array((3,), seed=s, low=0.5, high=2)) for s in (2, 3, 4))
    t, ta, tb = (torch.tensor(v.numpy()) for v in (x, a, b))
    np.testing.assert_allclose(
        x.addcmul(a, b, value=3).numpy(), t.addcmul(ta, tb, value=3).numpy(), rtol=1e-6
    )
    np.testing.assert_allclose(
        x.addcdiv(a, b, value=3).numpy(), t.addcdiv(ta, tb, value=3).numpy(), rtol=1e-6
    )
    np.testing.assert_allclose(x.logit(eps=0.6).numpy(), t.logit(eps=0.6).numpy(), rtol=1e-6)
    np.testing.assert_allclose(x.clamp_min(1.0).numpy(), t.clamp_min(1.0).numpy())
    np.testing.assert_allclose(x.clamp_max(1.0).numpy(), t.clamp_max(1.0).numpy())
    np.testing.assert_allclose(x.logaddexp2(a).numpy(), t.logaddexp2(ta).numpy(), rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("beta, threshold", [(1.0, 20.0), (2.0, 5.0), (0.5, 1.0)])
def test_softplus_method_matches_torch(dtype, beta, threshold):
    x = random_array((4, 5), seed=5, low=-15, high=15)
    compare_in_dtype(
        lambda v: v.softplus(beta=beta, threshold=threshold),
        lambda v: torch.nn.functional.softplus(v, beta=beta, threshold=threshold),
        [x],
        dtype,
    )
    check_gradients(lambda v: v.softplus(beta, threshold), [random_array((2, 3), seed=6)])
