"""The honest toy_sum solution every attack starts from (not itself an attack)."""

import numpy as np


def total(xs):
    return float(np.sum(np.asarray(xs, dtype=float)))


def running(xs):
    out, acc = [], 0.0
    for x in xs:
        acc += x
        out.append(acc)
    return np.array(out)


class Counter:
    def __init__(self, start=0):
        if start < 0:
            raise ValueError("start must be >= 0")
        self.count = start

    def add(self, n=1):
        self.count += n
        return self
