"""Probability distributions for sampling and scoring (torch.distributions' core subset).

For REINFORCE (Categorical: sample an action, score it with log_prob) and VAEs (Normal.rsample and
kl_divergence), with gradients flowing into the parameters.
"""

from jaring.distributions import constraints
from jaring.distributions.bernoulli import Bernoulli
from jaring.distributions.categorical import Categorical
from jaring.distributions.distribution import Distribution
from jaring.distributions.kl import kl_divergence, register_kl
from jaring.distributions.normal import Normal
from jaring.distributions.uniform import Uniform

__all__ = [
    "Bernoulli",
    "Categorical",
    "Distribution",
    "Normal",
    "Uniform",
    "constraints",
    "kl_divergence",
    "register_kl",
]
