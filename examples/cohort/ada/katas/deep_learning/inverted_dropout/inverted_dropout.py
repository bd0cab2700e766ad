"""Inverted dropout (Ada's solution)."""

from __future__ import annotations

import numpy as np


class Dropout:
    def __init__(self, p: float = 0.5) -> None:
        if p < 0 or p > 1:
            raise ValueError("p must be between 0 and 1")
        self.p = p
        self.training = True
        self.mask = None
        self.seen_forward = False

    def train(self, mode: bool = True) -> "Dropout":
        self.training = mode
        return self

    def eval(self) -> "Dropout":
        return self.train(False)

    def forward(self, x, rng):
        x = np.asarray(x)
        if x.dtype.kind not in "f":
            x = x.astype(float)
        self.seen_forward = True
        if not self.training:
            self.mask = None
            return x
        if self.p == 1:
            self.mask = np.zeros_like(x)
            return self.mask * x
        keep = rng.uniform(size=x.shape) > self.p
        self.mask = keep / (1 - self.p)
        return x * self.mask

    def backward(self, grad_out):
        if not self.seen_forward:
            raise RuntimeError("call forward first")
        if self.mask is None:
            return np.asarray(grad_out)
        return np.asarray(grad_out) * self.mask
