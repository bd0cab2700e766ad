"""A multilayer perceptron in NumPy: forward pass, softmax cross-entropy, backpropagation by hand, and SGD."""

from __future__ import annotations

import numpy as np


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
        # TODO(task 1): validate sizes and activation; draw every W[i] and b[i] from
        # U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with np.random.default_rng(seed).
        raise NotImplementedError

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
        # TODO(task 2): z = a @ W.T + b per layer, the activation after every layer but the last;
        # a 1-D X is one sample.
        raise NotImplementedError

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
        # TODO(task 3): check y, then the mean cross-entropy via a stable log-sum-exp.
        # TODO(task 4): backpropagate from dL/dlogits = (softmax - one_hot) / N.
        raise NotImplementedError

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
        # TODO(task 5): check the gradients' count and shapes, then W[i] -= lr * dW[i], b[i] -= lr * db[i].
        raise NotImplementedError
