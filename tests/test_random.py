"""jaring/random.py: seeds as ints or Generators, and one call that makes a script reproducible."""

import numpy as np
import pytest

import jaring
from jaring.random import get_rng, manual_seed


def test_an_int_seed_gives_the_same_numbers_and_a_generator_is_passed_through():
    assert get_rng(3).random() == get_rng(3).random()
    rng = np.random.default_rng(0)
    assert get_rng(rng) is rng


def test_manual_seed_resets_the_generator_used_without_a_seed():
    manual_seed(7)
    first = jaring.randn(4).numpy()
    manual_seed(7)
    np.testing.assert_array_equal(jaring.randn(4).numpy(), first)
    assert get_rng(None) is get_rng()


def test_bad_seeds_are_refused():
    for bad in (True, 1.5, "0"):
        with pytest.raises(TypeError, match="seed must be an int, a numpy Generator or None"):
            get_rng(bad)
