"""torch's worker-process options on jaring/data/loader.py's DataLoader: accepted, checked as
torch checks them, and loading stays in the calling process with num_workers=0's batches."""

import multiprocessing

import numpy as np
import pytest

import jaring
import jaring.data as ours
from jaring.data import DataLoader, TensorDataset, get_worker_info

torch = pytest.importorskip("torch")
torch_data = pytest.importorskip("torch.utils.data")

X = np.arange(20, dtype=np.float32).reshape(10, 2)
Y = np.arange(10)


def both():
    return (ours, TensorDataset(X, Y)), (
        torch_data,
        torch_data.TensorDataset(torch.from_numpy(X), torch.from_numpy(Y)),
    )


def labels(loader):
    return [batch[1].tolist() for batch in loader]


ALL_OPTIONS = dict(
    num_workers=3,
    pin_memory=True,
    timeout=5,
    multiprocessing_context="spawn",
    prefetch_factor=4,
    persistent_workers=True,
    pin_memory_device="cuda",
    in_order=False,
)


def test_every_option_is_accepted_and_the_batches_are_torchs_num_workers_0_batches():
    (_, data), (_, torch_set) = both()
    loader = DataLoader(data, batch_size=3, worker_init_fn=lambda i: None, **ALL_OPTIONS)
    theirs = labels(torch_data.DataLoader(torch_set, batch_size=3))
    assert labels(loader) == theirs == labels(DataLoader(data, batch_size=3))
    assert (loader.timeout, loader.prefetch_factor, loader.in_order) == (5, 4, False)
    assert loader.multiprocessing_context == "spawn" and loader.pin_memory_device == "cuda"


def test_shuffled_batches_with_worker_options_equal_those_without():
    (_, data), _ = both()
    with_options = DataLoader(data, batch_size=4, shuffle=True, generator=jaring.Generator(), **ALL_OPTIONS)
    plain = DataLoader(data, batch_size=4, shuffle=True, generator=jaring.Generator())
    assert labels(with_options) == labels(plain)


def test_worker_init_fn_is_not_called_without_workers_as_in_torch():
    (_, data), (_, torch_set) = both()
    ours_calls, torch_calls = [], []
    list(DataLoader(data, batch_size=4, num_workers=2, worker_init_fn=ours_calls.append))
    list(torch_data.DataLoader(torch_set, batch_size=4, worker_init_fn=torch_calls.append))
    assert ours_calls == torch_calls == []
    assert get_worker_info() is None and torch_data.get_worker_info() is None


def test_prefetch_factor_defaults_as_torchs():
    (_, data), (_, torch_set) = both()
    assert DataLoader(data).prefetch_factor is torch_data.DataLoader(torch_set).prefetch_factor is None
    assert (
        DataLoader(data, num_workers=2).prefetch_factor
        == torch_data.DataLoader(torch_set, num_workers=2).prefetch_factor
    )


def test_a_context_object_is_accepted():
    (_, data), _ = both()
    context = multiprocessing.get_context("spawn")
    assert DataLoader(data, num_workers=1, multiprocessing_context=context).multiprocessing_context is context


TORCH_ERRORS = {
    "negative num_workers": dict(num_workers=-1),
    "prefetch_factor without workers": dict(prefetch_factor=2),
    "negative prefetch_factor": dict(num_workers=2, prefetch_factor=-1),
    "negative timeout": dict(timeout=-1),
    "context without workers": dict(multiprocessing_context="spawn"),
    "unknown start method": dict(num_workers=2, multiprocessing_context="bogus"),
    "context of a wrong type": dict(num_workers=2, multiprocessing_context=3),
}


@pytest.mark.parametrize("name", list(TORCH_ERRORS))
def test_errors_match_torchs(name):
    kwargs = TORCH_ERRORS[name]
    results = []
    for module, data in both():
        with pytest.raises(Exception) as info:
            module.DataLoader(data, **kwargs)
        results.append((type(info.value), str(info.value)))
    assert results[0] == results[1]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(timeout="5"), "timeout must be a number"),
        (dict(worker_init_fn=3), "worker_init_fn must be a function"),
        (dict(num_workers=2, prefetch_factor=1.5), "prefetch_factor must be an integer"),
        (dict(pin_memory_device=0), "pin_memory_device must be a string"),
        (dict(in_order="yes"), "in_order must be True or False"),
    ],
)
def test_clear_type_errors(kwargs, match):
    with pytest.raises(TypeError, match=match):
        DataLoader(TensorDataset(X, Y), **kwargs)


def test_torchs_positional_order_after_drop_last():
    loader = DataLoader(TensorDataset(X, Y), 4, True, None, None, 0, None, False, False, 3, None, None, 0)
    assert loader.timeout == 3 and loader.generator == 0 and loader.shuffle
