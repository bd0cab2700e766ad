"""Cleo's dropout: written with plain Python loops over a flattened array."""

import math

import numpy as np


class Dropout:
    def __init__(self, p=0.5):
        if not (0.0 <= p <= 1.0):
            raise ValueError(f"bad p={p}")
        self.p = p
        self.training = True
        self._factors = None
        self._called = False

    def train(self, mode=True):
        self.training = bool(mode)
        return self

    def eval(self):
        return self.train(False)

    def forward(self, x, rng):
        arr = np.asarray(x, dtype=np.float64) if not np.issubdtype(np.asarray(x).dtype, np.floating) else np.asarray(x)
        self._called = True
        if not self.training:
            self._factors = None
            return arr
        draws = rng.random(arr.shape).ravel().tolist()
        scale = 0.0 if math.isclose(self.p, 1.0) else 1.0 / (1.0 - self.p)
        factors = [scale if u >= self.p else 0.0 for u in draws]
        self._factors = np.array(factors, dtype=arr.dtype).reshape(arr.shape)
        return arr * self._factors

    def backward(self, grad_out):
        if not self._called:
            raise RuntimeError("no forward yet")
        if self._factors is None:
            return np.asarray(grad_out)
        return np.asarray(grad_out) * self._factors
