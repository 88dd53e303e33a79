"""Tests for the torch arguments of jaring/data/loader.py: sampler, batch_sampler, collate_fn,
generator/seed, batch_size=None, IterableDataset, workers; lengths and orders against torch."""

import numpy as np
import pytest

import jaring
from jaring import nn
from jaring.data import (
    BatchSampler,
    DataLoader,
    IterableDataset,
    RandomSampler,
    SequentialSampler,
    TensorDataset,
    WeightedRandomSampler,
    default_collate,
    get_worker_info,
)
from jaring.training import fit

torch = pytest.importorskip("torch")
torch_data = pytest.importorskip("torch.utils.data")

X = np.arange(20, dtype=np.float32).reshape(10, 2)
Y = np.arange(10)


def jaring_data():
    return TensorDataset(X, Y)


def torch_data_set():
    return torch_data.TensorDataset(torch.from_numpy(X), torch.from_numpy(Y))


class Stream(IterableDataset):
    def __init__(self, n, sized=True):
        self.n, self.sized = n, sized

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        if not self.sized:
            raise TypeError("no len")
        return self.n


class TorchStream(torch_data.IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


def labels(batches):
    return [
        np.asarray(b[1]).tolist() if isinstance(b, (tuple, list)) else np.asarray(b).tolist() for b in batches
    ]


MODES = {
    "batch_size=3": dict(batch_size=3),
    "batch_size=3, drop_last": dict(batch_size=3, drop_last=True),
    "batch_size=5, drop_last": dict(batch_size=5, drop_last=True),
    "batch_size=4, shuffle": dict(batch_size=4, shuffle=True),
    "batch_size=None": dict(batch_size=None),
    "sequential sampler": dict(batch_size=4, sampler="sequential"),
    "random sampler, 7 with replacement": dict(batch_size=3, sampler="random7"),
    "batch_sampler": dict(batch_sampler="batches"),
    "batch_sampler, batch_size=1": dict(batch_size=1, batch_sampler="batches"),
    "sampler, batch_size=None": dict(batch_size=None, sampler="sequential"),
}


def build(module, ds, mode):
    kwargs = dict(MODES[mode])
    if kwargs.get("sampler") == "sequential":
        kwargs["sampler"] = module.SequentialSampler(ds)
    elif kwargs.get("sampler") == "random7":
        kwargs["sampler"] = module.RandomSampler(ds, replacement=True, num_samples=7)
    if kwargs.get("batch_sampler") == "batches":
        kwargs["batch_sampler"] = module.BatchSampler(module.SequentialSampler(ds), 4, False)
    return module.DataLoader(ds, **kwargs)


@pytest.mark.parametrize("mode", list(MODES))
def test_len_and_number_of_batches_match_torch(mode):
    import jaring.data as ours

    mine, theirs = build(ours, jaring_data(), mode), build(torch_data, torch_data_set(), mode)
    assert len(mine) == len(theirs) == len(list(mine)) == len(list(theirs))
    if "shuffle" not in mode and "random" not in mode:
        assert labels(mine) == labels(theirs)


@pytest.mark.parametrize(
    ("batch_size", "drop_last"), [(3, False), (3, True), (5, False), (None, False), (20, True)]
)
def test_iterable_dataset_batches_and_len_match_torch(batch_size, drop_last):
    mine = DataLoader(Stream(7), batch_size=batch_size, drop_last=drop_last)
    theirs = torch_data.DataLoader(TorchStream(7), batch_size=batch_size, drop_last=drop_last)
    assert len(mine) == len(theirs)
    assert labels(mine) == labels(theirs)


def test_iterable_dataset_without_len_and_fit_over_it():
    loader = DataLoader(Stream(5, sized=False), batch_size=2)
    with pytest.raises(TypeError):
        len(loader)
    assert "batches=?" in repr(loader) and labels(loader) == [[0, 1], [2, 3], [4]]

    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)

    class Pairs(IterableDataset):
        def __iter__(self):
            return zip(x, y)

    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    history = fit(model, DataLoader(Pairs(), batch_size=8), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_batch_size_none_yields_single_converted_samples():
    first = next(iter(DataLoader(jaring_data(), batch_size=None)))
    theirs = next(iter(torch_data.DataLoader(torch_data_set(), batch_size=None)))
    assert isinstance(first, list) and isinstance(theirs, list)
    assert first[0].shape == tuple(theirs[0].shape) == (2,) and first[1].shape == ()
    assert next(iter(DataLoader(jaring_data(), batch_size=None, collate_fn=lambda s: s[1] * 10))) == 0


def test_collate_fn_receives_the_list_of_samples():
    seen = []

    def collate(samples):
        seen.append(len(samples))
        xs, ys = zip(*samples)
        return {"x": jaring.tensor(np.stack(xs)), "y": list(ys)}

    batches = list(DataLoader(jaring_data(), batch_size=4, collate_fn=collate))
    assert seen == [4, 4, 2] and batches[0]["x"].shape == (4, 2) and batches[2]["y"] == [8, 9]
    xb, yb = next(iter(DataLoader(jaring_data(), batch_size=4, collate_fn=default_collate)))
    assert xb.dtype == np.float32 and yb.dtype == np.int64 and yb.tolist() == [0, 1, 2, 3]


def test_custom_sampler_may_yield_keys():
    class Keys:
        def __iter__(self):
            return iter(["b", "a"])

        def __len__(self):
            return 2

    table = {"a": (np.zeros(2, np.float32), 0), "b": (np.ones(2, np.float32), 1)}
    (xb, yb) = next(iter(DataLoader(table, batch_size=2, sampler=Keys())))
    assert yb.tolist() == [1, 0] and xb.shape == (2, 2)


def test_generator_and_seed_alias():
    def order(**kw):
        return labels(DataLoader(jaring_data(), batch_size=10, shuffle=True, **kw))

    assert order(generator=4) == order(seed=4) == order(generator=np.random.default_rng(4))
    loader = DataLoader(jaring_data(), batch_size=10, shuffle=True, generator=4)
    assert labels(loader) != labels(loader)  # a new order each epoch
    with pytest.raises(TypeError, match="not both"):
        DataLoader(jaring_data(), shuffle=True, generator=1, seed=1)
    with pytest.raises(TypeError, match="generator must be an int seed"):
        DataLoader(jaring_data(), shuffle=True, generator="x")


def test_loader_exposes_the_samplers_generator_for_checkpoints():
    sampler = RandomSampler(jaring_data(), generator=3)
    assert DataLoader(jaring_data(), sampler=sampler)._rng is sampler._rng
    shuffled = DataLoader(jaring_data(), shuffle=True, seed=2)
    assert isinstance(shuffled.sampler, RandomSampler) and shuffled._rng is shuffled.sampler._rng
    assert DataLoader(jaring_data())._rng is None


def test_built_in_samplers_keep_the_vectorised_path():
    class Counting(TensorDataset):
        calls = 0

        def get_batch(self, indices):
            Counting.calls += 1
            return super().get_batch(indices)

    ds = Counting(X, Y)
    weighted = WeightedRandomSampler(np.ones(10), 10, generator=0)
    assert len(list(DataLoader(ds, batch_size=5, sampler=weighted))) == 2 and Counting.calls == 2
    list(DataLoader(ds, batch_sampler=[[0, 1], [2]]))
    assert Counting.calls == 4


def test_workers_and_pin_memory_are_accepted_and_loading_stays_in_process():
    plain = labels(DataLoader(jaring_data(), batch_size=3))
    loader = DataLoader(jaring_data(), batch_size=3, num_workers=4, pin_memory=True, persistent_workers=True)
    assert labels(loader) == plain and loader.num_workers == 4 and get_worker_info() is None


def error_of(call):
    with pytest.raises(Exception) as info:
        call()
    return type(info.value), str(info.value)


TORCH_ERRORS = {
    "sampler and shuffle": lambda m, ds: m.DataLoader(ds, sampler=m.SequentialSampler(ds), shuffle=True),
    "batch_sampler and batch_size": lambda m, ds: m.DataLoader(ds, batch_sampler=[[0]], batch_size=4),
    "batch_sampler and shuffle": lambda m, ds: m.DataLoader(ds, batch_sampler=[[0]], shuffle=True),
    "batch_sampler and sampler": lambda m, ds: m.DataLoader(ds, batch_sampler=[[0]], sampler=[0]),
    "batch_sampler and drop_last": lambda m, ds: m.DataLoader(ds, batch_sampler=[[0]], drop_last=True),
    "batch_size=None and drop_last": lambda m, ds: m.DataLoader(ds, batch_size=None, drop_last=True),
    "negative num_workers": lambda m, ds: m.DataLoader(ds, num_workers=-1),
    "persistent without workers": lambda m, ds: m.DataLoader(ds, persistent_workers=True),
}


@pytest.mark.parametrize("name", list(TORCH_ERRORS))
def test_argument_errors_match_torch(name):
    import jaring.data as ours

    call = TORCH_ERRORS[name]
    assert error_of(lambda: call(ours, jaring_data())) == error_of(lambda: call(torch_data, torch_data_set()))


@pytest.mark.parametrize("option", [dict(shuffle=True), dict(sampler=[0]), dict(batch_sampler=[[0]])])
def test_iterable_dataset_refuses_index_options_as_torch(option):
    ours = error_of(lambda: DataLoader(Stream(3), **option))
    theirs = error_of(lambda: torch_data.DataLoader(TorchStream(3), **option))
    assert ours == theirs


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (dict(collate_fn=3), TypeError, "collate_fn must be a function"),
        (dict(sampler=5), TypeError, "sampler must be an iterable"),
        (dict(batch_sampler=5), TypeError, "batch_sampler must be an iterable"),
        (dict(num_workers=1.5), TypeError, "num_workers must be an integer"),
        (dict(pin_memory="yes"), TypeError, "pin_memory must be True or False"),
        (dict(batch_size="4"), ValueError, "batch_size must be a positive integer or None"),
    ],
)
def test_clear_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        DataLoader(jaring_data(), **kwargs)


def test_fit_with_a_weighted_sampler_on_an_imbalanced_dataset():
    rng = np.random.default_rng(0)
    y = np.array([0] * 180 + [1] * 20)
    x = (rng.normal(size=(200, 2)) + 2.5 * y[:, None]).astype(np.float32)
    weights = 1.0 / np.bincount(y)[y]
    sampler = WeightedRandomSampler(weights, num_samples=len(y), generator=0)
    drawn = np.concatenate(
        [yb.numpy() for _, yb in DataLoader(TensorDataset(x, y), batch_size=50, sampler=sampler)]
    )
    assert 0.35 < drawn.mean() < 0.65  # the minority class is drawn about half the time
    jaring.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
    loader = DataLoader(TensorDataset(x, y), batch_size=25, sampler=sampler)
    history = fit(model, loader, lr=0.1, epochs=5, metrics=["accuracy"], verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    predicted = model(jaring.tensor(x[y == 1])).numpy().argmax(axis=1)
    assert predicted.mean() > 0.8  # the minority class is learnt


def test_batch_sampler_over_random_sampler_in_loader_is_reproducible():
    def make():
        bs = BatchSampler(RandomSampler(jaring_data(), generator=9), 4, drop_last=True)
        return DataLoader(jaring_data(), batch_sampler=bs)

    a, b = make(), make()
    assert labels(a) == labels(b) and len(a) == 2
    assert all(len(batch) == 4 for batch in labels(a))
    assert isinstance(
        DataLoader(jaring_data(), sampler=SequentialSampler(range(10))).batch_sampler, BatchSampler
    )
