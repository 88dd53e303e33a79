"""LambdaLR, MultiplicativeLR, MultiStepLR, ConstantLR, LinearLR and PolynomialLR follow torch."""

import json

import pytest
import torch

import jaring
from jaring.optim import (
    SGD,
    ConstantLR,
    LambdaLR,
    LinearLR,
    MultiplicativeLR,
    MultiStepLR,
    PolynomialLR,
)
from tests.optim.schedules import LRS, pair, round_trip, run_both


def decay(epoch):
    return 0.95**epoch


def warmup(epoch):
    return min(1.0, (epoch + 1) / 5)


def shrink(epoch):
    return 1.0 - 0.01 * epoch


class Rate:
    """A callable object: its __dict__ is what torch (and jaring) keep in the state dict."""

    def __init__(self, rate):
        self.rate = rate

    def __call__(self, epoch):
        return self.rate**epoch


SCHEDULES = [
    (LambdaLR, dict(lr_lambda=decay)),
    (LambdaLR, dict(lr_lambda=[decay, warmup, Rate(0.8)])),
    (MultiplicativeLR, dict(lr_lambda=lambda epoch: 0.9)),
    (MultiplicativeLR, dict(lr_lambda=(shrink, decay, Rate(0.99)))),
    (MultiStepLR, dict(milestones=[3, 7, 7, 12], gamma=0.5)),
    (MultiStepLR, dict(milestones=[20, 0, 5])),
    (ConstantLR, dict()),
    (ConstantLR, dict(factor=0.5, total_iters=3)),
    (ConstantLR, dict(factor=0.25, total_iters=0)),
    (LinearLR, dict()),
    (LinearLR, dict(start_factor=0.1, end_factor=0.9, total_iters=10)),
    (LinearLR, dict(start_factor=1.0, end_factor=0.2, total_iters=7)),
    (PolynomialLR, dict()),
    (PolynomialLR, dict(total_iters=20, power=2.0)),
    (PolynomialLR, dict(total_iters=9, power=0.5)),
]
IDS = [f"{cls.__name__}-{i}" for i, (cls, _) in enumerate(SCHEDULES)]


@pytest.mark.parametrize("cls, options", SCHEDULES, ids=IDS)
def test_sequence_matches_torch(cls, options):
    jopt, topt = pair()
    jsched = cls(jopt, **options)
    tsched = getattr(torch.optim.lr_scheduler, cls.__name__)(topt, **options)
    seen = run_both(jsched, tsched, jopt, topt, 40)
    assert any(lrs != list(LRS) for lrs in seen)  # the schedule really changes the rates


def test_hand_computed_values():
    opt, _ = pair((1.0,))
    linear = LinearLR(opt, start_factor=0.5, total_iters=2)
    assert [linear.get_last_lr()] + [linear.step() or linear.get_last_lr() for _ in range(3)] == [
        [0.5], [0.75], [1.0], [1.0]
    ]  # fmt: skip
    opt, _ = pair((1.0,))
    steps = MultiStepLR(opt, milestones=[2, 2, 3], gamma=0.5)
    assert [steps.step() or opt.lr for _ in range(4)] == [1.0, 0.25, 0.125, 0.125]


@pytest.mark.parametrize("cls, options", SCHEDULES, ids=IDS)
def test_state_dict_round_trip(cls, options):
    round_trip(lambda opt: cls(opt, **options))


def test_lambdas_stay_out_of_the_state_dict_as_in_torch():
    lambdas = [decay, lambda epoch: 0.5, Rate(0.8)]
    jopt, topt = pair()
    jsched, tsched = LambdaLR(jopt, lambdas), torch.optim.lr_scheduler.LambdaLR(topt, lambdas)
    saved = jsched.state_dict()
    assert saved["lr_lambdas"] == tsched.state_dict()["lr_lambdas"] == [None, None, {"rate": 0.8}]
    json.dumps(saved)  # plain data
    other = [decay, lambda epoch: 0.5, Rate(0.3)]
    fresh = LambdaLR(pair()[0], other)
    fresh.load_state_dict(saved)
    assert other[2].rate == 0.8 and fresh.lr_lambdas[0] is decay
    for _ in range(3):
        fresh.step()
        jsched.step()
    assert fresh.get_last_lr() == jsched.get_last_lr()
    multiplicative = MultiplicativeLR(pair()[0], lambda epoch: 0.9)
    assert multiplicative.state_dict()["lr_lambdas"] == [None, None, None]


def test_a_lambda_that_returns_no_number_is_named():
    opt, _ = pair()
    sched = LambdaLR(opt, lambda epoch: "fast" if epoch else 1.0)
    with pytest.raises(TypeError, match=r"LambdaLR: lr_lambda\(1\) returned 'fast', not a number"):
        sched.step()


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda o: LambdaLR(o, lr_lambda=0.5), TypeError, "LambdaLR: lr_lambda must be a function"),
        (
            lambda o: LambdaLR(o, lr_lambda=[decay]),
            ValueError,
            "LambdaLR: lr_lambda must be one value or a list of 3",
        ),
        (
            lambda o: MultiplicativeLR(o, lr_lambda=[decay, decay, 3]),
            TypeError,
            r"lr_lambda\[2\] must be a function",
        ),
        (lambda o: MultiStepLR(o, milestones=3), TypeError, "MultiStepLR: milestones must be a list"),
        (
            lambda o: MultiStepLR(o, milestones=[2, -1]),
            ValueError,
            "MultiStepLR: milestones must be an integer >= 0",
        ),
        (lambda o: MultiStepLR(o, milestones=[2.5]), ValueError, "milestones must be an integer"),
        (lambda o: MultiStepLR(o, milestones=[2], gamma=-1), ValueError, "MultiStepLR: gamma"),
        (lambda o: ConstantLR(o, factor=1.5), ValueError, r"ConstantLR: factor must be in \[0, 1\]"),
        (lambda o: ConstantLR(o, factor="half"), TypeError, "ConstantLR: factor must be a number"),
        (
            lambda o: ConstantLR(o, total_iters=-1),
            ValueError,
            "ConstantLR: total_iters must be an integer >= 0",
        ),
        (lambda o: LinearLR(o, start_factor=0), ValueError, r"LinearLR: start_factor must be in \(0, 1\]"),
        (lambda o: LinearLR(o, end_factor=1.2), ValueError, "LinearLR: end_factor"),
        (
            lambda o: LinearLR(o, total_iters=0),
            ValueError,
            "LinearLR: total_iters must be a positive integer",
        ),
        (lambda o: PolynomialLR(o, total_iters=True), ValueError, "PolynomialLR: total_iters"),
        (lambda o: PolynomialLR(o, power=-1.0), ValueError, "PolynomialLR: power"),
        (
            lambda o: LinearLR(torch.optim.SGD([torch.ones(1, requires_grad=True)])),
            TypeError,
            "jaring optimizer",
        ),
    ],
)
def test_bad_arguments_raise(make, error, message):
    with pytest.raises(error, match=message):
        make(pair()[0])


def test_load_state_dict_rejects_unknown_entries():
    sched = ConstantLR(SGD([jaring.tensor([1.0], requires_grad=True)]))
    with pytest.raises(ValueError, match="unknown entries"):
        sched.load_state_dict({"T_max": 3})
    lam = LambdaLR(SGD([jaring.tensor([1.0], requires_grad=True)]), decay)
    with pytest.raises(ValueError, match="lr_lambdas"):
        lam.load_state_dict({**lam.state_dict(), "lr_lambdas": [None, None]})
