"""MUTANT zero_bias_init: biases initialised to zero instead of nn.Linear's uniform draw.

A multilayer perceptron in NumPy: forward pass, softmax cross-entropy, backpropagation by hand, and SGD."""

from __future__ import annotations

import numpy as np

ACTIVATIONS = ("relu", "sigmoid", "tanh")


class MLP:
    """Fully connected classifier: ``Linear -> act -> ... -> Linear``, trained on mean softmax cross-entropy.

    The same network as ``torch.nn.Sequential(nn.Linear(sizes[0], sizes[1]), act, ..., nn.Linear(sizes[-2],
    sizes[-1]))``: every hidden layer is followed by the activation, the last layer is not (it gives logits).

    Parameters
    ----------
    sizes : list of int
        Layer widths ``[n_in, hidden_1, ..., n_out]``: at least two entries, each at least 1.
        ``[n_in, n_out]`` is a network without a hidden layer (softmax regression).
    activation : {"relu", "sigmoid", "tanh"}, default="relu"
        Activation after every hidden layer.
    seed : int or np.random.Generator, default=0
        Seed (or generator) for the initial weights; the only randomness the network uses.

    Attributes
    ----------
    W : list of np.ndarray
        ``W[i]`` has shape ``(sizes[i + 1], sizes[i])`` (``nn.Linear`` layout: out, in), float64.
    b : list of np.ndarray
        ``b[i]`` has shape ``(sizes[i + 1],)``, float64.

    Raises
    ------
    ValueError
        If ``sizes`` has fewer than two entries or an entry below 1, or ``activation`` is unknown.

    Notes
    -----
    Initialisation follows ``nn.Linear``: every entry of ``W[i]`` and ``b[i]`` is drawn independently from
    ``U(-1/sqrt(sizes[i]), 1/sqrt(sizes[i]))``.

    Examples
    --------
    >>> net = MLP([2, 2, 2], activation="relu", seed=0)
    >>> net.W = [np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([[1.0, 0.0], [-1.0, 1.0]])]
    >>> net.b = [np.array([0.0, -1.0]), np.array([0.5, 0.0])]
    >>> net.forward(np.array([[1.0, 2.0]]))
    array([[0.5, 3.5]])
    """

    def __init__(
        self, sizes: list[int], activation: str = "relu", seed: int | np.random.Generator = 0
    ) -> None:
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"sizes needs at least an input and an output width, got {sizes}")
        if any(int(s) != s or s < 1 for s in sizes):
            raise ValueError(f"every layer width must be an integer >= 1, got {sizes}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        self.sizes = [int(s) for s in sizes]
        self.activation = activation
        rng = np.random.default_rng(seed)  # a Generator passes through unchanged
        self.W: list[np.ndarray] = []
        self.b: list[np.ndarray] = []
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:], strict=True):
            bound = 1.0 / np.sqrt(fan_in)
            self.W.append(rng.uniform(-bound, bound, size=(fan_out, fan_in)))
            self.b.append(np.zeros(fan_out))

    # -- helpers ---------------------------------------------------------------------------------------------

    def _act(self, z: np.ndarray) -> np.ndarray:
        if self.activation == "relu":
            return np.maximum(z, 0.0)
        if self.activation == "tanh":
            return np.tanh(z)
        # Stable sigmoid: exp of a non-positive number only.
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    def _act_grad(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        # Derivative at the pre-activation z, written through the activation a = act(z) where that is cheaper.
        if self.activation == "relu":
            return (z > 0).astype(z.dtype)  # relu'(0) = 0, as torch
        if self.activation == "tanh":
            return 1.0 - a * a
        return a * (1.0 - a)

    def _batch(self, X: np.ndarray) -> tuple[np.ndarray, bool]:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim not in (1, 2) or X.shape[-1] != self.sizes[0]:
            raise ValueError(
                f"X must have shape (n_samples, {self.sizes[0]}) or ({self.sizes[0]},), got {X.shape}"
            )
        return np.atleast_2d(X), X.ndim == 1

    def _forward(self, X: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Pre-activations ``zs`` and activations ``acts`` (``acts[0]`` is X) of every layer."""
        acts, zs = [X], []
        for i, (W, b) in enumerate(zip(self.W, self.b, strict=True)):
            z = acts[-1] @ np.asarray(W, dtype=np.float64).T + b
            zs.append(z)
            acts.append(z if i == len(self.W) - 1 else self._act(z))
        return zs, acts

    # -- public API ------------------------------------------------------------------------------------------

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Logits of the network.

        Parameters
        ----------
        X : array-like of shape (n_samples, sizes[0]) or (sizes[0],)
            Inputs, one row per sample (a single unbatched sample as a 1-D array).

        Returns
        -------
        np.ndarray of shape (n_samples, sizes[-1]) or (sizes[-1],)
            The last layer's output, without activation (float64).

        Raises
        ------
        ValueError
            If ``X`` is not 1-D or 2-D with ``sizes[0]`` features.

        Examples
        --------
        >>> MLP([3, 4, 2], seed=0).forward(np.zeros((5, 3))).shape
        (5, 2)
        """
        batch, unbatched = self._batch(X)
        logits = self._forward(batch)[1][-1]
        return logits[0] if unbatched else logits

    def loss_and_grads(
        self, X: np.ndarray, y: np.ndarray
    ) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
        """Mean softmax cross-entropy of the batch and its gradients, by backpropagation.

        Parameters
        ----------
        X : array-like of shape (n_samples, sizes[0]) or (sizes[0],)
            Inputs; a 1-D ``X`` is one sample, and then ``y`` is a single label.
        y : array-like of int of shape (n_samples,), or int
            Class labels in ``[0, sizes[-1])``.

        Returns
        -------
        loss : float
            ``mean_n(logsumexp(logits_n) - logits_n[y_n])``, as ``F.cross_entropy(reduction="mean")``.
        dW : list of np.ndarray
            ``dW[i]`` is d loss / d ``W[i]``, shaped like ``W[i]``.
        db : list of np.ndarray
            ``db[i]`` is d loss / d ``b[i]``, shaped like ``b[i]``.

        Raises
        ------
        ValueError
            If ``X`` has the wrong shape, ``y`` does not hold one label per sample, or a label is out of range.

        Examples
        --------
        >>> net = MLP([2, 3, 2], seed=0)
        >>> loss, dW, db = net.loss_and_grads(np.array([[1.0, -1.0]]), np.array([1]))
        >>> [g.shape for g in dW], [g.shape for g in db]
        ([(3, 2), (2, 3)], [(3,), (2,)])
        """
        batch, unbatched = self._batch(X)
        labels = np.asarray(y)
        if unbatched and labels.ndim == 0:
            labels = labels.reshape(1)
        if labels.shape != (batch.shape[0],):
            raise ValueError(
                f"y must hold one label per sample, shape ({batch.shape[0]},), got {labels.shape}"
            )
        if labels.size and (
            not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0 or labels.max() >= self.sizes[-1]
        ):
            raise ValueError(f"labels must be integers in [0, {self.sizes[-1]}), got {labels}")
        n = batch.shape[0]
        zs, acts = self._forward(batch)
        logits = acts[-1]
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_z = np.log(np.exp(shifted).sum(axis=1))
        rows = np.arange(n)
        loss = float(np.mean(log_z - shifted[rows, labels]))

        # d loss / d logits = (softmax - one_hot) / n for the mean reduction.
        dz = np.exp(shifted - log_z[:, None])
        dz[rows, labels] -= 1.0
        dz /= n
        dW: list[np.ndarray] = [np.empty(0)] * len(self.W)
        db: list[np.ndarray] = [np.empty(0)] * len(self.W)
        for i in range(len(self.W) - 1, -1, -1):
            dW[i] = dz.T @ acts[i]
            db[i] = dz.sum(axis=0)
            if i > 0:
                dz = (dz @ np.asarray(self.W[i], dtype=np.float64)) * self._act_grad(zs[i - 1], acts[i])
        return loss, dW, db

    def sgd_step(self, dW: list[np.ndarray], db: list[np.ndarray], lr: float) -> None:
        """One step of plain gradient descent: ``W[i] -= lr * dW[i]`` and ``b[i] -= lr * db[i]`` for every layer.

        Parameters
        ----------
        dW : list of array-like
            One gradient per weight matrix, shaped like ``W[i]``.
        db : list of array-like
            One gradient per bias vector, shaped like ``b[i]``.
        lr : float
            Learning rate.

        Raises
        ------
        ValueError
            If the number of gradients or any gradient's shape does not match the parameters.
        """
        if len(dW) != len(self.W) or len(db) != len(self.b):
            raise ValueError(f"expected {len(self.W)} weight and bias gradients, got {len(dW)} and {len(db)}")
        new_W, new_b = [], []
        for W, b, dW_i, db_i in zip(self.W, self.b, dW, db, strict=True):
            gW, gb = np.asarray(dW_i, dtype=np.float64), np.asarray(db_i, dtype=np.float64)
            if gW.shape != np.shape(W) or gb.shape != np.shape(b):
                raise ValueError(
                    f"gradient shapes {gW.shape}, {gb.shape} do not match parameters {np.shape(W)}, {np.shape(b)}"
                )
            new_W.append(np.asarray(W, dtype=np.float64) - lr * gW)
            new_b.append(np.asarray(b, dtype=np.float64) - lr * gb)
        # Validate everything before changing anything, so a bad call leaves the network as it was.
        self.W, self.b = new_W, new_b
