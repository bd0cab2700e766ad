"""Toy scaling: the stub."""


def scale(x, k, rng=None):
    """x times k, plus noise from rng when given."""
    raise NotImplementedError
