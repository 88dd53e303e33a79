"""Tests for jaring/data/sampler.py: orders and lengths against torch, statistics of the random
samplers, seeding, and torch's errors for bad arguments."""

import numpy as np
import pytest

import jaring
from jaring.data import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

torch_data = pytest.importorskip("torch.utils.data")


@pytest.mark.parametrize("n", [1, 5, 17])
def test_sequential_sampler_matches_torch(n):
    assert list(SequentialSampler(range(n))) == list(torch_data.SequentialSampler(range(n)))
    assert len(SequentialSampler(range(n))) == len(torch_data.SequentialSampler(range(n))) == n


@pytest.mark.parametrize("n", [1, 6, 7, 10])
@pytest.mark.parametrize("batch_size", [1, 3, 4, 12])
@pytest.mark.parametrize("drop_last", [False, True])
def test_batch_sampler_matches_torch(n, batch_size, drop_last):
    ours = BatchSampler(SequentialSampler(range(n)), batch_size, drop_last)
    theirs = torch_data.BatchSampler(torch_data.SequentialSampler(range(n)), batch_size, drop_last)
    assert list(ours) == list(theirs)
    assert len(ours) == len(theirs) == len(list(ours))
    assert [a.tolist() for a in ours._index_arrays()] == list(theirs)


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.RandomSampler(range(9)),
        lambda m: m.RandomSampler(range(9), num_samples=4),
        lambda m: m.RandomSampler(range(9), num_samples=20),
        lambda m: m.RandomSampler(range(9), replacement=True),
        lambda m: m.RandomSampler(range(9), replacement=True, num_samples=31),
        lambda m: m.SubsetRandomSampler([4, 2, 8]),
        lambda m: m.WeightedRandomSampler([1.0, 2.0, 3.0], num_samples=11),
        lambda m: m.WeightedRandomSampler([1.0, 2.0, 3.0], num_samples=2, replacement=False),
        lambda m: m.BatchSampler(m.RandomSampler(range(9)), 4, False),
        lambda m: m.BatchSampler(m.RandomSampler(range(9)), 4, True),
    ],
)
def test_lengths_match_torch(make):
    import jaring.data as ours

    mine, theirs = make(ours), make(torch_data)
    assert len(mine) == len(theirs) == len(list(mine))


def test_random_sampler_gives_each_index_once_per_pass_and_a_new_order_each_pass():
    sampler = RandomSampler(range(100), generator=0)
    passes = [list(sampler) for _ in range(3)]
    assert all(sorted(p) == list(range(100)) for p in passes)
    assert passes[0] != passes[1] != passes[2]
    again = RandomSampler(range(100), generator=0)
    assert [list(again) for _ in range(3)] == passes  # same seed, same sequence of passes
    assert list(RandomSampler(range(100), generator=1)) != passes[0]


def test_random_sampler_more_samples_than_items_chains_whole_passes():
    draws = list(RandomSampler(range(5), num_samples=12, generator=0))
    assert len(draws) == 12
    assert sorted(draws[:5]) == sorted(draws[5:10]) == list(range(5))
    assert len(set(draws[10:])) == 2


def test_random_sampler_with_replacement_is_uniform():
    draws = np.array(list(RandomSampler(range(4), replacement=True, num_samples=40000, generator=0)))
    assert draws.min() == 0 and draws.max() == 3
    np.testing.assert_allclose(np.bincount(draws) / draws.size, 0.25, atol=0.01)


def test_global_generator_makes_unseeded_samplers_reproducible():
    sampler = RandomSampler(range(50))
    jaring.manual_seed(11)
    first = [list(sampler), list(sampler)]
    jaring.manual_seed(11)
    assert [list(sampler), list(sampler)] == first and first[0] != first[1]


def test_a_numpy_generator_is_used_as_is():
    g = np.random.default_rng(3)
    expected = np.random.default_rng(3).permutation(10).tolist()
    assert list(RandomSampler(range(10), generator=g)) == expected


def test_subset_random_sampler_permutes_the_given_indices():
    sampler = SubsetRandomSampler(np.array([10, 20, 30, 40]), generator=0)
    passes = [list(sampler) for _ in range(6)]
    assert all(sorted(p) == [10, 20, 30, 40] for p in passes)
    assert len({tuple(p) for p in passes}) > 1
    assert all(type(i) is int for i in passes[0])


def test_weighted_sampler_frequencies_follow_the_weights():
    weights = [1.0, 2.0, 0.0, 5.0]
    draws = np.array(list(WeightedRandomSampler(weights, 80000, generator=0)))
    freq = np.bincount(draws, minlength=4) / draws.size
    np.testing.assert_allclose(freq, np.array(weights) / 8, atol=0.01)
    assert freq[2] == 0


def test_weighted_sampler_without_replacement_draws_distinct_indices():
    sampler = WeightedRandomSampler([1, 1, 1, 1, 10, 0], num_samples=5, replacement=False, generator=0)
    for _ in range(20):
        draw = list(sampler)
        assert len(set(draw)) == 5 and 5 not in draw
    # the heavy index comes first most of the time
    firsts = [list(sampler)[0] for _ in range(300)]
    assert firsts.count(4) > 150


def test_weighted_sampler_same_seed_same_draws_and_accepts_a_tensor():
    a = WeightedRandomSampler(jaring.tensor([0.2, 0.3, 0.5]), 50, generator=7)
    b = WeightedRandomSampler(np.array([2, 3, 5]), 50, generator=7)
    assert list(a) == list(b)


def test_custom_sampler_and_base_class():
    class Reverse(Sampler):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(self.n - 1, -1, -1))

    assert list(BatchSampler(Reverse(5), 2, False)) == [[4, 3], [2, 1], [0]]
    with pytest.raises(TypeError, match="has no len"):
        len(Reverse(3))
    with pytest.raises(NotImplementedError, match="must define __iter__"):
        iter(Sampler())


def message(call):
    with pytest.raises(Exception) as info:
        call()
    return type(info.value), str(info.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.RandomSampler(range(5), num_samples=0),
        lambda m: m.RandomSampler(range(5), num_samples=2.0),
        lambda m: m.RandomSampler([]),
        lambda m: m.RandomSampler(range(5), replacement=1),
        lambda m: m.WeightedRandomSampler([1.0, 2.0], 0),
        lambda m: m.WeightedRandomSampler([1.0, 2.0], -3),
        lambda m: m.WeightedRandomSampler([1.0, 2.0], 2, replacement=0),
        lambda m: m.WeightedRandomSampler([[1.0, 2.0]], 2),
        lambda m: m.BatchSampler(range(5), 0, False),
        lambda m: m.BatchSampler(range(5), True, False),
        lambda m: m.BatchSampler(range(5), 2, 1),
    ],
)
def test_argument_errors_match_torch(call):
    import jaring.data as ours

    assert message(lambda: call(ours)) == message(lambda: call(torch_data))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: WeightedRandomSampler([1.0, -2.0], 2), "non-negative"),
        (lambda: WeightedRandomSampler([1.0, float("nan")], 2), "finite"),
        (lambda: WeightedRandomSampler([0.0, 0.0], 2), "sum to 0"),
        (lambda: WeightedRandomSampler([1.0, 2.0], 3, replacement=False), "without replacement"),
        (lambda: WeightedRandomSampler([1.0, 0.0], 2, replacement=False), "1 positive weights"),
        (lambda: WeightedRandomSampler(["a", "b"], 2), "sequence of numbers"),
        (lambda: RandomSampler(range(3), generator="x"), "generator must be an int seed"),
        (lambda: RandomSampler(range(3), generator=-1), "seed must be an integer >= 0"),
        (lambda: RandomSampler(5), "data_source with __len__"),
        (lambda: SubsetRandomSampler([[1, 2]]), "1-D sequence of integers"),
        (lambda: SubsetRandomSampler([0.5]), "1-D sequence of integers"),
        (lambda: BatchSampler(5, 2, False), "iterable of indices"),
    ],
)
def test_clear_errors_where_torch_fails_late_or_obscurely(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()
