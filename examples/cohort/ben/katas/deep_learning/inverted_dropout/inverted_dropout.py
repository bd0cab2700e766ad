"""Dropout. Ben's version: drops with probability p, keeps the rest."""

import numpy as np


class Dropout:
    def __init__(self, p=0.5):
        self.p = p
        self.training = True

    def train(self, mode=True):
        self.training = mode
        return self

    def eval(self):
        self.training = False
        return self

    def forward(self, x, rng):
        x = np.array(x, dtype=float)
        self.mask = rng.random(x.shape) > self.p
        if self.training:
            return x * self.mask
        return x * (1 - self.p)  # scale down at test time, like the paper

    def backward(self, grad_out):
        return grad_out * self.mask
