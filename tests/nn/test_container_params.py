"""jaring/nn/container_params.py: ParameterList side by side with torch's: wrapping, indexing,
torch's names "0", "1", ..., errors and repr word for word, optimizers, deepcopy and saving."""

import copy

import numpy as np
import pytest
import torch

import jaring
from jaring import nn
from jaring.io import load, save
from tests.nn.test_container_dict import same_error


def pair():
    ours = nn.ParameterList([nn.Parameter(jaring.ones(2, 3)), jaring.zeros(4)])
    theirs = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(2, 3)), torch.zeros(4)])
    return ours, theirs


def test_entries_are_wrapped_and_registered_under_torchs_names():
    ours, theirs = pair()
    assert len(ours) == len(theirs) == 2
    assert [k for k, _ in ours.named_parameters()] == [k for k, _ in theirs.named_parameters()] == ["0", "1"]
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in ours)
    raw = np.ones(3, dtype=np.float32)
    ours.append(raw)
    assert isinstance(ours[2], nn.Parameter) and np.shares_memory(ours[2].data, raw)
    assert ours.extend([jaring.ones(1), 7, None]) is ours and len(ours) == 6
    ours += [jaring.ones(5)]
    assert [k for k, _ in ours.named_parameters()] == ["0", "1", "2", "3", "6"]
    assert ours[-1].shape == (5,) and ours[4] == 7 and ours[5] is None
    ours[0] = jaring.full((2,), 3.0)  # a Tensor replaces a Parameter, wrapped
    assert isinstance(ours[0], nn.Parameter) and ours[0].tolist() == [3.0, 3.0]
    ours[-2] = jaring.ones(2)  # an object's place can take a Parameter, registered last as in torch
    theirs.extend([torch.ones(3), torch.ones(1), 7, None, torch.ones(5)])
    theirs[-2] = torch.ones(2)
    assert [k for k, _ in ours.named_parameters()] == [k for k, _ in theirs.named_parameters()]
    assert [k for k, _ in ours.named_parameters()] == ["0", "1", "2", "3", "6", "5"]
    assert [type(v).__name__ for v in ours][:2] == ["Parameter", "Parameter"]
    part = ours[1:4:2]
    assert isinstance(part, nn.ParameterList) and [p is q for p, q in zip(part, [ours[1], ours[3]])] == [
        True,
        True,
    ]
    assert "0" not in dir(ours) and "append" in dir(ours)


def test_a_module_in_the_list_is_a_child_as_in_torch():
    ours, theirs = pair()
    ours.append(nn.Linear(1, 1))
    theirs.append(torch.nn.Linear(1, 1))
    assert [k for k, _ in ours.named_parameters()] == [k for k, _ in theirs.named_parameters()]
    assert repr(ours) == repr(theirs).replace("torch.", "jaring.")


@pytest.mark.parametrize(
    "call",
    [
        lambda T, p: p[5],
        lambda T, p: p[-3],
        lambda T, p: p["a"],
        lambda T, p: p[1.0],
        lambda T, p: p.__setitem__(2, T.ones(1)),
        lambda T, p: p.__setitem__(0, 5),
        lambda T, p: p.extend(3),
        lambda T, p: p.extend(T.ones(2)),
        lambda T, p: p(T.ones(1)),
        lambda T, p: (nn.ParameterList if T is jaring else torch.nn.ParameterList)(3),
    ],
)
def test_errors_are_torchs(call):
    ours, theirs = pair()
    same_error(lambda: call(jaring, ours), lambda: call(torch, theirs))
    assert len(ours) == 2


def test_an_integer_tensor_cannot_be_a_trainable_parameter():
    with pytest.raises(TypeError, match="floating-point"):
        nn.ParameterList([jaring.arange(3)])
    with pytest.raises(RuntimeError):
        torch.nn.ParameterList([torch.arange(3)])
    ours = nn.ParameterList()
    with pytest.raises(TypeError):
        ours.append(jaring.arange(3))
    assert len(ours) == 0  # the failed append left no empty slot


def test_repr_matches_torch():
    ours, theirs = pair()
    assert repr(ours) == repr(theirs).replace("torch.", "jaring.")
    ours.append(3)
    theirs.append(3)
    assert repr(ours) == repr(theirs).replace("torch.", "jaring.")
    one, theirs_one = nn.ParameterList([jaring.ones(4)]), torch.nn.ParameterList([torch.ones(4)])
    assert repr(one) == repr(theirs_one).replace("torch.", "jaring.")  # torch's one-line form
    doubles = nn.ParameterList([jaring.ones((), dtype=np.float64)])
    assert repr(doubles) == repr(torch.nn.ParameterList([torch.ones((), dtype=torch.float64)])).replace(
        "torch.", "jaring."
    )
    assert repr(nn.ParameterList()) == repr(torch.nn.ParameterList()) == "ParameterList()"
    nested = nn.Sequential(nn.ParameterList([jaring.ones(2), jaring.ones(3)]))
    theirs_nested = torch.nn.Sequential(torch.nn.ParameterList([torch.ones(2), torch.ones(3)]))
    assert repr(nested) == repr(theirs_nested).replace("torch.", "jaring.")


class Mixture(nn.Module):
    def __init__(self):
        super().__init__()
        rng = np.random.default_rng(0)
        self.weights = nn.ParameterList([rng.standard_normal((3, 3)).astype(np.float32) for _ in range(3)])

    def forward(self, x):
        for i, w in enumerate(self.weights):
            x = jaring.tanh(x @ self.weights[i // 2] + x @ w)
        return x


class TorchMixture(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.weights = torch.nn.ParameterList([torch.zeros(3, 3) for _ in range(3)])

    def forward(self, x):
        for i, w in enumerate(self.weights):
            x = torch.tanh(x @ self.weights[i // 2] + x @ w)
        return x


def test_state_dict_both_ways_and_adam_match_torch():
    ours, theirs = Mixture(), TorchMixture()
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weights.0", "weights.1", "weights.2"]
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    back = Mixture()
    back.load_state_dict(theirs.state_dict())
    x = np.random.default_rng(1).standard_normal((4, 3)).astype(np.float32)
    opt_ours, opt_theirs = (
        jaring.optim.Adam(ours.parameters(), lr=0.01),
        torch.optim.Adam(theirs.parameters(), lr=0.01),
    )
    for _ in range(3):
        opt_ours.zero_grad()
        opt_theirs.zero_grad()
        (ours(jaring.tensor(x)) ** 2).sum().backward()
        (theirs(torch.tensor(x)) ** 2).sum().backward()
        opt_ours.step()
        opt_theirs.step()
    for k, v in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[k], v.numpy(), rtol=1e-5, atol=1e-6, err_msg=k)
        assert not np.array_equal(ours.state_dict()[k], back.state_dict()[k])


def test_deepcopy_and_module_to():
    ours = Mixture()
    twin = copy.deepcopy(ours)
    assert len(twin.weights) == 3 and twin.weights[0] is not ours.weights[0]
    np.testing.assert_array_equal(twin.weights[2].numpy(), ours.weights[2].numpy())
    twin.weights.append(jaring.ones(1))
    assert len(ours.weights) == 3
    twin.double()
    assert all(p.dtype == np.float64 and isinstance(p, nn.Parameter) for p in twin.weights)


def test_saves_and_loads_with_its_entries(tmp_path):
    model = nn.Sequential(
        nn.Linear(2, 2, seed=0),
        nn.ParameterList(
            [
                jaring.ones(2, 3, dtype=np.float64),
                nn.Parameter(jaring.tensor([1, 2]), requires_grad=False),
                "note",
                None,
                nn.Linear(1, 2),
                jaring.zeros(0),
            ]
        ),
    )  # float64 next to float32: each Parameter comes back in its own dtype
    again = load(save(model, tmp_path / "plist"))
    assert repr(again) == repr(model)
    assert again[1][1].requires_grad is False and again[1][1].dtype == np.int64 and again[1][2] == "note"
    for k, v in model.state_dict().items():
        assert again.state_dict()[k].dtype == v.dtype
        np.testing.assert_array_equal(again.state_dict()[k], v)
    assert list(nn.ParameterList.from_config({"values": None})) == []


def test_a_file_that_asks_for_a_huge_parameter_is_refused(tmp_path):
    import json
    import zipfile

    path = save(nn.ParameterList([jaring.ones(2)]), tmp_path / "small")
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(members["model.json"])
    document["model"]["config"]["values"][0]["__parameter__"]["shape"] = {"__tuple__": [100000, 100000]}
    members["model.json"] = json.dumps(document).encode()
    hostile = tmp_path / "hostile.jaring"
    with zipfile.ZipFile(hostile, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(jaring.FileFormatError, match="weight elements"):
        load(hostile)


def test_assignment_rules_are_torchs():
    """A Parameter may replace a Module; nothing else replaces a Parameter; a plain object
    replaces no Module."""
    for T, lib in ((jaring, nn), (torch, torch.nn)):
        params = lib.ParameterList([lib.Linear(1, 1), T.ones(2)])
        params[0] = T.ones(3)
        assert [k for k, _ in params.named_parameters()] == ["1", "0"]
    ours, theirs = (
        nn.ParameterList([nn.Linear(1, 1), jaring.ones(1)]),
        torch.nn.ParameterList([torch.nn.Linear(1, 1), torch.ones(1)]),
    )
    same_error(lambda: ours.__setitem__(0, "x"), lambda: theirs.__setitem__(0, "x"))
    with pytest.raises(
        TypeError, match=r"cannot assign 'torch\.nn\.modules\.activation\.ReLU' as parameter '1'"
    ):
        theirs[1] = torch.nn.ReLU()
    with pytest.raises(TypeError, match=r"cannot assign 'jaring\.nn\.activation\.ReLU' as parameter '1'"):
        ours[1] = nn.ReLU()
    ours[1] = None
    ours[0] = None
    assert list(ours.parameters()) == [] and ours[0] is None
