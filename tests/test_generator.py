"""jaring/generator.py: torch.Generator's spelling, seeding and state, accepted as `generator=`."""

import numpy as np
import pytest

import jaring
from jaring import nn
from jaring.data import DataLoader, RandomSampler, TensorDataset, WeightedRandomSampler, random_split
from jaring.random import get_rng

torch = pytest.importorskip("torch")


def test_manual_seed_returns_the_generator_and_initial_seed_reports_it():
    g = jaring.Generator()
    assert g.manual_seed(3) is g and g.initial_seed() == 3
    assert isinstance(g.device, jaring.device) and g.device == "cpu"
    assert jaring.Generator(device="cpu").device.type == torch.Generator(device="cpu").device.type


def test_a_fresh_generator_has_torchs_default_seed_and_repeats_its_numbers():
    assert jaring.Generator().initial_seed() == torch.Generator().initial_seed()
    first = jaring.randperm(20, generator=jaring.Generator()).tolist()
    assert jaring.randperm(20, generator=jaring.Generator()).tolist() == first


def test_the_same_seed_gives_the_same_numbers_and_draws_advance_the_state():
    g = jaring.Generator().manual_seed(7)
    first, second = jaring.randperm(50, generator=g).tolist(), jaring.randperm(50, generator=g).tolist()
    assert first != second
    g.manual_seed(7)
    assert jaring.randperm(50, generator=g).tolist() == first


def test_negative_seeds_count_from_two_to_the_64_and_bad_seeds_are_torchs_errors():
    assert (
        jaring.Generator().manual_seed(-1).initial_seed() == torch.Generator().manual_seed(-1).initial_seed()
    )
    for bad in (1.5, "1", True):
        with pytest.raises(RuntimeError):
            torch.Generator().manual_seed(bad)
        with pytest.raises(RuntimeError, match="manual_seed expected a long"):
            jaring.Generator().manual_seed(bad)
    with pytest.raises(ValueError):
        jaring.Generator().manual_seed(2**64)


def test_seed_draws_a_new_seed_and_reports_it():
    g = jaring.Generator()
    seeds = {g.seed() for _ in range(3)}
    assert len(seeds) == 3 and g.initial_seed() in seeds


def test_get_state_and_set_state_restore_the_stream_and_the_seed():
    g = jaring.Generator().manual_seed(11)
    jaring.randperm(5, generator=g)
    state = g.get_state()
    assert state.dtype == np.uint8 and state.ndim == 1
    after = jaring.randperm(30, generator=g).tolist()
    g.manual_seed(99)
    assert g.set_state(state) is g and g.initial_seed() == 11
    again = jaring.randperm(30, generator=g).tolist()
    assert again == after
    g.manual_seed(0).set_state(jaring.tensor(state))  # a uint8 Tensor of the state works too
    assert g.initial_seed() == 11


def test_bad_states_are_refused_as_torch_refuses_them():
    g = jaring.Generator()
    with pytest.raises(TypeError):
        torch.Generator().set_state([1, 2])
    with pytest.raises(TypeError):
        g.set_state([1, 2])
    with pytest.raises(TypeError):
        g.set_state(g.get_state().astype(np.float32))
    with pytest.raises(RuntimeError):
        torch.Generator().set_state(torch.Generator().get_state()[:10])
    with pytest.raises(RuntimeError, match="bytes"):
        g.set_state(g.get_state()[:10])


def test_an_unknown_device_is_refused():
    with pytest.raises(RuntimeError):
        torch.Generator(device="meta")
    with pytest.raises(ValueError, match="unknown device 'meta'"):
        jaring.Generator(device="meta")


def test_every_generator_keyword_accepts_one_and_reseeding_repeats_it():
    data = TensorDataset(np.arange(12))

    def draws(g):
        g.manual_seed(4)
        return [
            [p.indices.tolist() for p in random_split(data, [0.5, 0.5], generator=g)],
            list(RandomSampler(range(12), generator=g)),
            list(WeightedRandomSampler([1.0, 2.0, 3.0], 6, generator=g)),
            [y.tolist() for (y,) in DataLoader(data, batch_size=5, shuffle=True, generator=g)],
            nn.init.normal_(jaring.empty(3), generator=g).tolist(),
            jaring.bernoulli(jaring.full((6,), 0.5), generator=g).tolist(),
        ]

    g = jaring.Generator()
    assert draws(g) == draws(g)
    assert get_rng(g) is g.numpy_generator


def test_a_loader_holding_the_generator_sees_a_later_reseed():
    g = jaring.Generator().manual_seed(1)
    loader = DataLoader(TensorDataset(np.arange(30)), batch_size=30, shuffle=True, generator=g)
    g.manual_seed(2)
    first = [y.tolist() for (y,) in loader]
    g.manual_seed(2)
    assert [y.tolist() for (y,) in loader] == first


def test_a_seeded_generator_draws_what_the_same_int_seed_draws():
    g = jaring.Generator().manual_seed(8)
    assert jaring.randperm(40, generator=g).tolist() == jaring.randperm(40, generator=8).tolist()
