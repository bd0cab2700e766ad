"""Toy sums: the stub."""


def total(xs):
    """Sum of xs."""
    raise NotImplementedError


def running(xs):
    """Running sums of xs, as an array."""
    raise NotImplementedError


class Counter:
    """Counts what is added."""

    def __init__(self, start=0):
        raise NotImplementedError

    def add(self, n=1):
        raise NotImplementedError
