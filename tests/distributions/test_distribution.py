"""The base class: shapes, sample_shape, seed/generator arguments, validation switch, printing."""

import numpy as np
import pytest

import jaring
from jaring.distributions import Distribution, Normal, constraints


def test_shapes_seeds_and_printing():
    d = Normal(jaring.zeros(2), 1.0)
    assert d._extended_shape((3,)) == (3, 2)
    with pytest.raises(ValueError, match="seed= or generator="):
        d.sample(seed=0, generator=np.random.default_rng(0))
    with pytest.raises(ValueError, match="sample_shape"):
        d.sample((-1,))
    assert repr(Normal(0.0, 1.0)) == "Normal(loc: 0.0, scale: 1.0)"
    with pytest.raises(NotImplementedError):
        Distribution().entropy()


def test_validation_can_be_switched_off_for_all():
    Distribution.set_default_validate_args(False)
    try:
        assert Normal(0.0, -1.0).scale.item() == -1.0
    finally:
        Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError):
        Normal(0.0, -1.0)


def test_constraints_print_and_check_as_torch():
    assert repr(constraints.Interval(0.0, 1.0)) == "Interval(lower_bound=0.0, upper_bound=1.0)"
    assert constraints.simplex.check(np.array([0.25, 0.75])).all()
    assert not constraints.IntegerInterval(0, 2).check(np.array([1.5])).any()
