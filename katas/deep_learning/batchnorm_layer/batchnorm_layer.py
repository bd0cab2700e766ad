"""Batch normalisation over (N, C) or (N, C, L) inputs, as ``torch.nn.BatchNorm1d`` does it, in NumPy."""

from __future__ import annotations

import numpy as np


class BatchNorm1d:
    """Batch normalisation layer with learnable scale and shift and running statistics.

    Parameters
    ----------
    num_features : int
        Number of channels ``C`` (a positive integer).
    eps : float, default=1e-5
        Added to the variance inside the square root; must be positive.
    momentum : float or None, default=0.1
        Weight of the new batch in the running statistics, ``running = (1 - momentum) * running + momentum * batch``,
        in ``[0, 1]``. ``None`` keeps a cumulative (plain) average of all batches seen in training.
    affine : bool, default=True
        Whether the layer has a learnable scale ``weight`` (gamma) and shift ``bias`` (beta).
    track_running_stats : bool, default=True
        Whether to keep running statistics; without them, eval mode normalises with the batch statistics too.

    Attributes
    ----------
    training : bool
        ``True`` after construction.
    weight, bias : np.ndarray of shape (num_features,) or None
        Gamma (ones) and beta (zeros) after construction; ``None`` when ``affine=False``.
    running_mean, running_var : np.ndarray of shape (num_features,) or None
        Zeros and ones after construction; ``None`` when ``track_running_stats=False``.
    num_batches_tracked : int or None
        Number of training batches seen (0 after construction); ``None`` when ``track_running_stats=False``.

    Raises
    ------
    ValueError
        If ``num_features < 1``, ``eps <= 0``, or ``momentum`` is not ``None`` and outside ``[0, 1]``.

    Examples
    --------
    >>> bn = BatchNorm1d(2)
    >>> bn.forward(np.array([[1.0, 2.0], [3.0, 6.0]])).round(4)
    array([[-1., -1.],
           [ 1.,  1.]])
    >>> bn.running_mean, bn.running_var
    (array([0.2, 0.4]), array([1.1, 1.7]))
    """

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
    ) -> None:
        # TODO(task 1): validate the arguments; create weight, bias, running_mean, running_var, num_batches_tracked.
        raise NotImplementedError

    def train(self, mode: bool = True) -> BatchNorm1d:
        """Set training mode (``mode=True``) or eval mode (``mode=False``); return ``self``."""
        # TODO(task 1): switch the mode and return self.
        raise NotImplementedError

    def eval(self) -> BatchNorm1d:
        """Set eval mode; return ``self``."""
        # TODO(task 1): eval() is train(False).
        raise NotImplementedError

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Normalise each channel, then scale by ``weight`` and shift by ``bias``.

        Parameters
        ----------
        x : array-like of shape (N, C) or (N, C, L)
            Input; statistics are taken per channel over the batch axis (and the length axis for 3-D input).

        Returns
        -------
        np.ndarray of the shape of ``x``
            ``(x - mean) / sqrt(var + eps) * weight + bias``. In training mode (and whenever
            ``track_running_stats=False``) mean and var are the batch's, with the biased variance; in eval mode
            with running statistics they are ``running_mean`` and ``running_var``.

        Raises
        ------
        ValueError
            If ``x`` is not 2-D or 3-D, if its axis 1 is not ``num_features``, or if batch statistics are needed
            and there is only one value per channel.
        """
        # TODO(task 2, 3, 4): batch statistics in training (biased variance), update the running statistics (unbiased variance), running statistics in eval.
        raise NotImplementedError

    def backward(self, dy: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """Gradients of the last ``forward`` with respect to its input, ``weight`` and ``bias``.

        Parameters
        ----------
        dy : array-like of the shape of the last input
            Gradient of the loss with respect to the output of ``forward``.

        Returns
        -------
        dx : np.ndarray of the shape of the last input
        dgamma : np.ndarray of shape (num_features,), or None when ``affine=False``
        dbeta : np.ndarray of shape (num_features,), or None when ``affine=False``

        Raises
        ------
        RuntimeError
            If ``forward`` has not run yet.
        ValueError
            If ``dy`` does not have the shape of the last input.
        """
        # TODO(task 5): use what forward cached; in training, mean and var depend on every input of the channel.
        raise NotImplementedError
