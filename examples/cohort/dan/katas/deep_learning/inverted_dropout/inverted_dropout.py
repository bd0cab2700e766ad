"""Dan's dropout: makes sure at least one unit survives (which never ends when p == 1)."""

import numpy as np


class Dropout:
    def __init__(self, p=0.5):
        if p < 0 or p > 1:
            raise ValueError("p out of range")
        self.p = p
        self.training = True
        self.mask = None

    def train(self, mode=True):
        self.training = mode
        return self

    def eval(self):
        return self.train(False)

    def forward(self, x, rng):
        x = np.asarray(x, dtype=float)
        if not self.training:
            self.mask = np.ones_like(x)
            return x
        while True:
            keep = rng.random(x.shape) >= self.p
            if keep.any():
                break
        self.mask = keep / (1 - self.p)
        return x * self.mask

    def backward(self, grad_out):
        if self.mask is None:
            raise RuntimeError("forward first")
        return grad_out * self.mask
