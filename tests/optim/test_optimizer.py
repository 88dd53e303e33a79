"""The Optimizer base class: parameter validation, groups, zero_grad, lr, state_dict, get_optimizer."""

import tracemalloc

import numpy as np
import pytest
import torch

import jaring
from jaring.optim import SGD, Adagrad, Adam, AdamW, RMSprop, get_optimizer
from tests.optim.reference import make_problem
from tests.optim.side_by_side import through_json_and_npz

ALL = [SGD, Adam, AdamW, RMSprop, Adagrad]


def _param(shape=(2, 3), dtype=np.float32, seed=0):
    return jaring.tensor(np.random.default_rng(seed).standard_normal(shape).astype(dtype), requires_grad=True)


# ----- bad input --------------------------------------------------------------------------
@pytest.mark.parametrize("cls", ALL)
def test_empty_parameter_list_raises(cls):
    with pytest.raises(ValueError, match="empty parameter list"):
        cls([])
    with pytest.raises(ValueError, match="empty parameter list"):
        cls(iter([]))


@pytest.mark.parametrize("cls", ALL)
def test_negative_lr_raises(cls):
    with pytest.raises(ValueError, match=r"lr must be in \[0.0, inf\), got -0.1"):
        cls([_param()], lr=-0.1)


@pytest.mark.parametrize("lr", ["0.1", None, True, float("nan")])
def test_lr_must_be_a_number(lr):
    with pytest.raises((TypeError, ValueError), match="lr"):
        SGD([_param()], lr=lr)


def test_integer_tensor_raises():
    labels = jaring.tensor(np.array([1, 2, 3]))
    with pytest.raises(TypeError, match="dtype int64; only floating-point"):
        SGD([_param(), labels])


def test_tensor_without_grad_raises():
    with pytest.raises(ValueError, match="does not require grad"):
        Adam([jaring.tensor(np.ones(3, np.float32))])


NOT_TENSORS = [3.0, "weights", {"w": 1}, [np.ones(3)], [torch.ones(3, requires_grad=True)]]


@pytest.mark.parametrize("params", NOT_TENSORS)
def test_not_tensors_raise(params):
    with pytest.raises(TypeError, match="Tensor"):
        Adam(params)


def test_non_leaf_raises():
    w = _param()
    with pytest.raises(ValueError, match="leaf"):
        SGD([w * 2])


def test_duplicate_parameter_raises():
    w = _param()
    with pytest.raises(ValueError, match="more than once"):
        SGD([w, w])
    with pytest.raises(ValueError, match="more than once"):
        SGD([{"params": [w]}, {"params": [w], "lr": 0.1}])


def test_unknown_group_option_lists_valid_ones():
    with pytest.raises(ValueError, match=r"unknown option\(s\) \['learning_rate'\].*'amsgrad', 'betas'"):
        Adam([{"params": [_param()], "learning_rate": 0.1}])


def test_gradient_of_wrong_shape_raises():
    w = _param((2, 3))
    w.grad = jaring.tensor(np.ones((3, 2), np.float32))
    with pytest.raises(ValueError, match=r"gradient of shape \(3, 2\) for a parameter of shape \(2, 3\)"):
        Adam([w]).step()


# ----- what the training loop uses --------------------------------------------------------
def test_accepts_a_generator_a_single_tensor_and_named_parameters():
    a, b = _param(seed=1), _param(seed=2)
    assert SGD(p for p in [a, b]).param_groups[0]["params"] == [a, b]
    assert SGD(a).param_groups[0]["params"] == [a]
    assert SGD([("w", a), ("b", b)]).param_groups[0]["params"] == [a, b]


def test_zero_grad_sets_grad_to_none_and_params_without_grad_are_skipped():
    a, b = _param(seed=1), _param(seed=2)
    before = b.numpy().copy()
    opt = Adam([a, b], lr=0.1)
    a.grad = jaring.tensor(np.ones(a.shape, np.float32))
    opt.step()
    np.testing.assert_array_equal(b.numpy(), before)
    assert b not in opt.state and a in opt.state
    opt.zero_grad()
    assert a.grad is None and b.grad is None


def test_lr_attribute_reads_and_sets_every_group():
    a, b = _param(seed=1), _param(seed=2)
    opt = SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    assert opt.lr == 0.1 and opt.param_groups[1]["lr"] == 0.5
    opt.lr = 0.01
    assert [g["lr"] for g in opt.param_groups] == [0.01, 0.01]
    opt.learning_rate = 0.02
    assert opt.learning_rate == 0.02 == opt.param_groups[1]["lr"]
    with pytest.raises(ValueError, match="lr"):
        opt.lr = -1


def test_param_groups_match_torch():
    init, grads = make_problem(np.float64, steps=3)
    jp = [jaring.tensor(a.copy(), requires_grad=True) for a in init]
    tp = [torch.tensor(a.copy(), requires_grad=True) for a in init]
    jopt = Adam([{"params": jp[:2], "lr": 0.1}, {"params": jp[2:], "weight_decay": 0.5}], lr=0.01)
    topt = torch.optim.Adam([{"params": tp[:2], "lr": 0.1}, {"params": tp[2:], "weight_decay": 0.5}], lr=0.01)
    for step_grads in grads:
        for j, t, g in zip(jp, tp, step_grads):
            j.grad, t.grad = jaring.tensor(g), torch.tensor(g)
        jopt.step()
        topt.step()
    for j, t in zip(jp, tp):
        np.testing.assert_allclose(j.numpy(), t.detach().numpy(), rtol=1e-10)


def test_step_with_closure_returns_the_loss():
    w = jaring.tensor(np.array([3.0]), requires_grad=True)
    opt = SGD([w], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    assert opt.step(closure).item() == 9.0
    np.testing.assert_allclose(w.numpy(), [1.5])


def test_float32_stays_float32_and_non_contiguous_parameters_work():
    w = jaring.tensor(np.arange(12, dtype=np.float32).reshape(3, 4).T, requires_grad=True)
    expected = w.numpy() - 0.1 * np.sign(np.ones((4, 3)))
    w.grad = jaring.tensor(np.ones((4, 3), np.float32))
    opt = Adam([w], lr=0.1)
    opt.step()
    assert w.dtype == np.float32 and opt.state[w]["exp_avg"].dtype == np.float32
    assert opt.state_dict()["state"][0]["exp_avg"].dtype == np.float32
    np.testing.assert_allclose(w.numpy(), expected, rtol=1e-6)


ALLOCATION_CASES = [
    (SGD, dict(momentum=0.9, nesterov=True, weight_decay=0.1)),
    (Adam, dict(amsgrad=True, weight_decay=0.1)),
    (AdamW, {}),
    (RMSprop, dict(centered=True, momentum=0.9, weight_decay=0.1)),
    (Adagrad, dict(weight_decay=0.1)),
]


@pytest.mark.parametrize("cls, options", ALLOCATION_CASES, ids=lambda x: getattr(x, "__name__", ""))
def test_step_allocates_no_arrays_once_state_exists(cls, options):
    params = [_param((300, 200), seed=1), _param((200,), seed=2)]
    for p in params:
        p.grad = jaring.tensor(np.ones(p.shape, np.float32))
    opt = cls(params, **options)
    opt.step()
    tracemalloc.start()
    opt.step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 4096, f"a step allocated {peak} bytes; parameters hold {300 * 200 * 4} bytes"


def test_repr_lists_hyperparameters():
    text = repr(RMSprop([_param()], lr=0.05))
    assert text.startswith("RMSprop (") and "lr: 0.05" in text and "centered: False" in text


# ----- state_dict -------------------------------------------------------------------------
STATEFUL = [
    (SGD, dict(lr=0.1, momentum=0.9, nesterov=True)),
    (Adam, dict(lr=0.01, amsgrad=True)),
    (AdamW, dict(lr=0.01)),
    (RMSprop, dict(momentum=0.5, centered=True)),
    (Adagrad, dict(lr_decay=0.1)),
]


@pytest.mark.parametrize("cls, options", STATEFUL, ids=lambda x: getattr(x, "__name__", ""))
def test_state_dict_round_trip_resumes_identically(cls, options):
    init, grads = make_problem(np.float32, steps=6)
    params = [jaring.tensor(a.copy(), requires_grad=True) for a in init]
    opt = cls([{"params": params[:1]}, {"params": params[1:], "lr": 0.02}], **options)

    def run(optimizer, tensors, step_grads):
        for gs in step_grads:
            for p, g in zip(tensors, gs):
                p.grad = jaring.tensor(g)
            optimizer.step()

    run(opt, params, grads[:3])
    saved = opt.state_dict()
    snapshot = [p.numpy().copy() for p in params]
    run(opt, params, grads[3:])

    resumed_params = [jaring.tensor(a.copy(), requires_grad=True) for a in snapshot]
    resumed = cls([{"params": resumed_params[:1]}, {"params": resumed_params[1:]}], lr=0.5)
    resumed.load_state_dict(through_json_and_npz(saved))
    assert resumed.param_groups[1]["lr"] == 0.02
    run(resumed, resumed_params, grads[3:])
    for p, q in zip(params, resumed_params):
        np.testing.assert_array_equal(p.numpy(), q.numpy())


def test_state_dict_is_a_copy():
    w = _param()
    w.grad = jaring.tensor(np.ones(w.shape, np.float32))
    opt = Adam([w])
    opt.step()
    saved = opt.state_dict()
    before = saved["state"][0]["exp_avg"].copy()
    opt.step()
    np.testing.assert_array_equal(saved["state"][0]["exp_avg"], before)
    assert saved["state"][0]["step"] == 1 and saved["param_groups"][0]["params"] == [0]


def test_load_state_dict_rejects_a_different_model():
    a, b = _param((2, 3)), _param((3,))
    a.grad = jaring.tensor(np.ones((2, 3), np.float32))
    opt = Adam([a])
    opt.step()
    with pytest.raises(ValueError, match=r"saved 'exp_avg' of parameter 0 has shape \(2, 3\)"):
        Adam([b]).load_state_dict(opt.state_dict())
    with pytest.raises(ValueError, match=r"saved groups hold \[1\] parameters, this optimizer \[2\]"):
        Adam([_param(seed=3), _param(seed=4)]).load_state_dict(opt.state_dict())
    with pytest.raises(ValueError, match="'state' and 'param_groups'"):
        Adam([b]).load_state_dict({"exp_avg": 1})


# ----- get_optimizer ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, cls, options",
    [
        ("sgd", SGD, {"momentum": 0.0}),
        ("gd", SGD, {"momentum": 0.0}),
        ("momentum", SGD, {"momentum": 0.9}),
        ("Adam", Adam, {"weight_decay": 0.0}),
        ("adamw", AdamW, {"weight_decay": 1e-2}),
        ("rmsprop", RMSprop, {"alpha": 0.99}),
        ("adagrad", Adagrad, {"lr": 1e-2}),
    ],
)
def test_get_optimizer_by_name(name, cls, options):
    opt = get_optimizer(name, [_param()])
    assert type(opt) is cls
    for key, value in options.items():
        assert opt.param_groups[0][key] == value
    assert get_optimizer(name, [_param()], lr=0.3, weight_decay=0.1).param_groups[0]["lr"] == 0.3


def test_get_optimizer_unknown_name_lists_choices():
    with pytest.raises(
        ValueError, match=r"unknown optimizer 'adabelief'.*'adagrad', 'adam', 'adamax', 'adamw'"
    ):
        get_optimizer("adabelief", [_param()])


def test_loaded_state_takes_the_parameters_memory_order():
    w = jaring.tensor(np.zeros((3, 4), np.float32, order="F"), requires_grad=True)
    w.grad = jaring.tensor(np.ones((3, 4), np.float32, order="F"))
    opt = Adam([w])
    opt.step()
    saved = {**opt.state_dict()}
    saved["state"] = {
        0: {k: (np.ascontiguousarray(v) if k != "step" else v) for k, v in saved["state"][0].items()}
    }
    opt.load_state_dict(saved)
    assert all(a.flags.f_contiguous for a in opt.state[w].values() if hasattr(a, "flags"))
