"""OneCycleLR (rates and momenta), CosineAnnealingWarmRestarts and SequentialLR follow torch."""

import pytest
import torch

from jaring import optim
from jaring.optim import (
    ConstantLR,
    CosineAnnealingLR,
    CosineAnnealingWarmRestarts,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    MultiplicativeLR,
    OneCycleLR,
    ReduceLROnPlateau,
    SequentialLR,
    StepLR,
)
from tests.optim.schedules import pair, round_trip, run_both

T = torch.optim.lr_scheduler

ONE_CYCLE = [
    ("sgd", dict(momentum=0.9), dict(max_lr=1.0, total_steps=50)),
    ("sgd", dict(), dict(max_lr=[1.0, 0.3, 2.0], epochs=5, steps_per_epoch=9, anneal_strategy="linear")),
    ("sgd", dict(momentum=0.5), dict(max_lr=0.4, total_steps=40, pct_start=0.25, three_phase=True,
                                     div_factor=10.0, final_div_factor=100.0)),
    ("sgd", dict(momentum=0.9), dict(max_lr=0.5, total_steps=30, cycle_momentum=False, pct_start=0.5)),
    ("adam", dict(betas=(0.8, 0.99)), dict(max_lr=0.01, total_steps=45, base_momentum=[0.8, 0.7, 0.85],
                                           max_momentum=(0.9, 0.95, 0.99))),
    ("adam", dict(), dict(max_lr=[0.01, 0.02, 0.03], total_steps=37, three_phase=True,
                          anneal_strategy="linear", pct_start=0.4)),
]  # fmt: skip


@pytest.mark.parametrize("kind, opt_options, options", ONE_CYCLE)
def test_one_cycle_rates_and_momenta_match_torch(kind, opt_options, options):
    jopt, topt = pair(kind=kind, **opt_options)
    jsched, tsched = OneCycleLR(jopt, **options), T.OneCycleLR(topt, **options)
    assert [g["initial_lr"] for g in jopt.param_groups] == [g["initial_lr"] for g in topt.param_groups]
    run_both(jsched, tsched, jopt, topt, jsched.total_steps, momentum=True)
    for sched in (jsched, tsched):
        with pytest.raises(ValueError, match="total_steps|total steps"):
            sched.step()


def test_one_cycle_peaks_at_max_lr_and_ends_low():
    opt, _ = pair((0.1,), momentum=0.9)
    sched = OneCycleLR(opt, max_lr=2.0, total_steps=12, pct_start=0.5, anneal_strategy="linear")
    lrs, moms = [opt.lr], [opt.param_groups[0]["momentum"]]
    for _ in range(11):
        sched.step()
        lrs.append(opt.lr)
        moms.append(opt.param_groups[0]["momentum"])
    assert lrs[0] == pytest.approx(0.08) and max(lrs) == lrs[5] == pytest.approx(2.0)
    assert lrs[-1] == pytest.approx(0.08 / 1e4) and min(moms) == moms[5] == pytest.approx(0.85)
    assert moms[0] == moms[-1] == pytest.approx(0.95)


@pytest.mark.parametrize("options", [dict(T_0=5), dict(T_0=3, T_mult=2, eta_min=0.01), dict(T_0=1)])
def test_warm_restarts_match_torch(options):
    jopt, topt = pair()
    jsched = CosineAnnealingWarmRestarts(jopt, **options)
    tsched = T.CosineAnnealingWarmRestarts(topt, **options)
    run_both(jsched, tsched, jopt, topt, 60)


@pytest.mark.parametrize("options", [dict(T_0=4), dict(T_0=2, T_mult=3, eta_min=0.001)])
def test_warm_restarts_with_fractional_epochs_match_torch(options):
    jopt, topt = pair()
    jsched = CosineAnnealingWarmRestarts(jopt, **options)
    tsched = T.CosineAnnealingWarmRestarts(topt, **options)
    seen = run_both(jsched, tsched, jopt, topt, 80, step=lambda sched, i: sched.step((i + 1) / 5))
    assert len({tuple(lrs) for lrs in seen}) > 20
    assert jsched.T_cur == tsched.T_cur and jsched.T_i == tsched.T_i and jsched.last_epoch == 16


def chains():
    """(name, factory of (schedulers, milestones) for an optimizer and the lr_scheduler module)."""
    return {
        "linear-cosine": lambda o, m: (
            [m.LinearLR(o, start_factor=0.1, total_iters=5), m.CosineAnnealingLR(o, T_max=20)], [5]),
        "constant-exponential-step": lambda o, m: (
            [m.ConstantLR(o, factor=0.5, total_iters=2), m.ExponentialLR(o, gamma=0.9),
             m.StepLR(o, step_size=3, gamma=0.5)], [3, 10]),
        "multiplicative-lambda": lambda o, m: (
            [m.MultiplicativeLR(o, lambda e: 0.8), m.LambdaLR(o, lambda e: 0.9**e)], [4]),
        "polynomial-multistep-cosine": lambda o, m: (
            [m.PolynomialLR(o, total_iters=4, power=2.0), m.MultiStepLR(o, [2, 5], gamma=0.3),
             m.CosineAnnealingLR(o, T_max=6, eta_min=0.005)], [6, 12]),
        "linear-restarts": lambda o, m: (
            [m.LinearLR(o, start_factor=0.2, total_iters=4),
             m.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2)], [4]),
        "exponential-multiplicative-lambda": lambda o, m: (
            [m.ExponentialLR(o, gamma=0.8), m.MultiplicativeLR(o, lambda e: 0.9 + 0.001 * e),
             m.LambdaLR(o, lambda e: 0.5 + 0.01 * e)], [3, 8]),
        "step-onecycle": lambda o, m: ([m.StepLR(o, 2), m.OneCycleLR(o, max_lr=0.3, total_steps=40)], [3]),
    }  # fmt: skip


@pytest.mark.parametrize("name", sorted(chains()))
def test_sequential_matches_torch(name):
    make = chains()[name]
    jopt, topt = pair(momentum=0.9)
    jsched = SequentialLR(jopt, *make(jopt, optim))
    tsched = T.SequentialLR(topt, *make(topt, T))
    run_both(jsched, tsched, jopt, topt, 40, momentum=True)


def test_warmup_then_cosine_by_hand():
    opt, _ = pair((1.0,))
    warmup = LinearLR(opt, start_factor=0.5, total_iters=2)
    sched = SequentialLR(opt, [warmup, CosineAnnealingLR(opt, T_max=2)], milestones=[2])
    lrs = [opt.lr]
    for _ in range(4):
        sched.step()
        lrs.append(opt.lr)
    assert lrs == pytest.approx([0.5, 0.75, 1.0, 0.5, 0.0])


ROUND_TRIPS = {
    "one-cycle-sgd": (lambda o: OneCycleLR(o, max_lr=1.0, total_steps=30), "sgd", dict(momentum=0.9)),
    "one-cycle-adam": (lambda o: OneCycleLR(o, max_lr=0.1, total_steps=25, three_phase=True), "adam", {}),
    "restarts": (lambda o: CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2), "sgd", {}),
    "sequential": (lambda o: SequentialLR(o, [ConstantLR(o), ExponentialLR(o, 0.9), StepLR(o, 2)], [4, 9]),
                   "sgd", {}),
    "sequential-lambdas": (lambda o: SequentialLR(o, [LambdaLR(o, lambda e: 0.5), MultiplicativeLR(
        o, lambda e: 0.9)], [3]), "sgd", {}),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(ROUND_TRIPS))
def test_state_dict_round_trip(name):
    make, kind, options = ROUND_TRIPS[name]
    for before in (2, 7):
        round_trip(make, steps_before=before, steps_after=12, kind=kind, options=options)


def test_warm_restarts_round_trip_with_fractional_epochs():
    step = lambda sched, i: sched.step(i * 0.7)  # noqa: E731
    round_trip(lambda o: CosineAnnealingWarmRestarts(o, T_0=2, T_mult=2), step=step)


def test_sequential_repr_names_its_schedulers():
    opt, _ = pair()
    text = repr(SequentialLR(opt, [ConstantLR(opt), StepLR(opt, 3)], milestones=[5]))
    assert text.startswith("SequentialLR(schedulers=[ConstantLR(") and "milestones=[5]" in text


def other_opt():
    return pair()[0]


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda o: OneCycleLR(o, max_lr=1.0), ValueError, "OneCycleLR: give total_steps, or both epochs"),
        (
            lambda o: OneCycleLR(o, max_lr=1.0, total_steps=0),
            ValueError,
            "OneCycleLR: total_steps must be a positive",
        ),
        (lambda o: OneCycleLR(o, max_lr=1.0, epochs=2, steps_per_epoch=2.5), ValueError, "steps_per_epoch"),
        (
            lambda o: OneCycleLR(o, max_lr=[1.0, 2.0], total_steps=9),
            ValueError,
            "max_lr must be one value or a list of 3",
        ),
        (lambda o: OneCycleLR(o, max_lr=-1.0, total_steps=9), ValueError, "OneCycleLR: max_lr"),
        (
            lambda o: OneCycleLR(o, max_lr=1.0, total_steps=9, pct_start=1.5),
            ValueError,
            "pct_start must be in",
        ),
        (
            lambda o: OneCycleLR(o, max_lr=1.0, total_steps=10, pct_start=0.1),
            ValueError,
            "a phase of no steps",
        ),
        (
            lambda o: OneCycleLR(o, max_lr=1.0, total_steps=9, anneal_strategy="cosine"),
            ValueError,
            "anneal_strategy",
        ),
        (
            lambda o: OneCycleLR(o, max_lr=1.0, total_steps=9, div_factor=0),
            ValueError,
            "div_factor must be > 0",
        ),
        (lambda o: OneCycleLR(o, max_lr=1.0, total_steps=9, max_momentum=1.0), ValueError, "max_momentum"),
        (
            lambda o: OneCycleLR(optim.Adagrad(o.param_groups[0]["params"]), max_lr=1.0, total_steps=9),
            ValueError,
            "cycle_momentum=True needs an optimizer with momentum",
        ),
        (lambda o: CosineAnnealingWarmRestarts(o, T_0=0), ValueError, "CosineAnnealingWarmRestarts: T_0"),
        (
            lambda o: CosineAnnealingWarmRestarts(o, T_0=2, T_mult=1.5),
            ValueError,
            "T_mult must be a positive",
        ),
        (lambda o: CosineAnnealingWarmRestarts(o, T_0=2, eta_min=-0.1), ValueError, "eta_min"),
        (
            lambda o: CosineAnnealingWarmRestarts(o, T_0=2).step(-1),
            ValueError,
            "epoch must be a finite number",
        ),
        (lambda o: SequentialLR(o, [], []), ValueError, "SequentialLR: schedulers is empty"),
        (lambda o: SequentialLR(o, StepLR(o, 2), []), TypeError, "schedulers must be a list"),
        (lambda o: SequentialLR(o, [StepLR(o, 2), "cosine"], [3]), TypeError, r"schedulers\[1\] is a str"),
        (
            lambda o: SequentialLR(o, [StepLR(o, 2), ReduceLROnPlateau(o)], [3]),
            ValueError,
            "cannot be chained",
        ),
        (lambda o: SequentialLR(o, [StepLR(other_opt(), 2)], []), ValueError, "different optimizer"),
        (
            lambda o: SequentialLR(o, [StepLR(o, 2), StepLR(o, 3)], []),
            ValueError,
            "2 schedulers need 1 milestones",
        ),
        (
            lambda o: SequentialLR(o, [StepLR(o, 2), StepLR(o, 3), StepLR(o, 4)], [5, 5]),
            ValueError,
            "milestones must increase",
        ),
        (
            lambda o: SequentialLR(o, [StepLR(o, 2), StepLR(o, 3)], [0]),
            ValueError,
            "milestones must be a positive",
        ),
    ],
)
def test_bad_arguments_raise(make, error, message):
    with pytest.raises(error, match=message):
        make(pair()[0])


def test_a_bad_state_dict_is_refused():
    opt, _ = pair()
    sched = SequentialLR(opt, [ConstantLR(opt), StepLR(opt, 3)], milestones=[5])
    with pytest.raises(ValueError, match="states of 2 schedulers"):
        sched.load_state_dict({**sched.state_dict(), "_schedulers": [{}]})
