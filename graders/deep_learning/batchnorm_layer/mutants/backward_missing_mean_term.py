"""MUTANT backward_missing_mean_term: backward forgets the mean(dx_hat) term (the mean's dependence on x). (Otherwise: batch normalisation over (N, C) or (N, C, L) inputs, as ``torch.nn.BatchNorm1d`` does it, in NumPy.)"""

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
        if num_features < 1:
            raise ValueError(f"num_features must be a positive integer, got {num_features}")
        if not eps > 0:
            raise ValueError(f"eps must be positive, got {eps}")
        if momentum is not None and not 0.0 <= momentum <= 1.0:
            raise ValueError(f"momentum must be None or in [0, 1], got {momentum}")
        self.num_features = int(num_features)
        self.eps = float(eps)
        self.momentum = momentum
        self.affine = bool(affine)
        self.track_running_stats = bool(track_running_stats)
        self.training = True
        self.weight: np.ndarray | None = np.ones(num_features) if affine else None
        self.bias: np.ndarray | None = np.zeros(num_features) if affine else None
        self.running_mean: np.ndarray | None = np.zeros(num_features) if track_running_stats else None
        self.running_var: np.ndarray | None = np.ones(num_features) if track_running_stats else None
        self.num_batches_tracked: int | None = 0 if track_running_stats else None
        self._cache: tuple[np.ndarray, np.ndarray, bool, tuple[int, ...]] | None = None

    def train(self, mode: bool = True) -> BatchNorm1d:
        """Set training mode (``mode=True``) or eval mode (``mode=False``); return ``self``."""
        self.training = bool(mode)
        return self

    def eval(self) -> BatchNorm1d:
        """Set eval mode; return ``self``."""
        return self.train(False)

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
        x = np.asarray(x, dtype=np.float64)
        if x.ndim not in (2, 3):
            raise ValueError(f"expected 2D or 3D input (got {x.ndim}D input)")
        if x.shape[1] != self.num_features:
            raise ValueError(f"expected {self.num_features} channels on axis 1, got {x.shape[1]}")
        axes = (0,) if x.ndim == 2 else (0, 2)
        shape = (1, -1) if x.ndim == 2 else (1, -1, 1)
        use_batch_stats = self.training or not self.track_running_stats
        if use_batch_stats:
            n = x.size // self.num_features
            if n <= 1:
                raise ValueError(
                    f"Expected more than 1 value per channel when training, got input size {x.shape}"
                )
            mean = x.mean(axis=axes)
            var = x.var(axis=axes)  # biased: this batch is the whole population being normalised
            if self.training and self.track_running_stats:
                assert self.num_batches_tracked is not None
                assert self.running_mean is not None
                assert self.running_var is not None
                self.num_batches_tracked += 1
                factor = 1.0 / self.num_batches_tracked if self.momentum is None else self.momentum
                # The running variance estimates the population's, hence the unbiased n / (n - 1) correction.
                self.running_mean = (1.0 - factor) * self.running_mean + factor * mean
                self.running_var = (1.0 - factor) * self.running_var + factor * var * n / (n - 1)
        else:
            assert self.running_mean is not None
            assert self.running_var is not None
            mean, var = self.running_mean, self.running_var
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = (x - mean.reshape(shape)) * inv_std.reshape(shape)
        self._cache = (x_hat, inv_std, use_batch_stats, axes)
        if not self.affine:
            return x_hat
        assert self.weight is not None
        assert self.bias is not None
        return x_hat * np.asarray(self.weight).reshape(shape) + np.asarray(self.bias).reshape(shape)

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
        if self._cache is None:
            raise RuntimeError("backward called before forward")
        x_hat, inv_std, used_batch_stats, axes = self._cache
        dy = np.asarray(dy, dtype=np.float64)
        if dy.shape != x_hat.shape:
            raise ValueError(f"dy has shape {dy.shape}, but the last input had shape {x_hat.shape}")
        shape = (1, -1) if x_hat.ndim == 2 else (1, -1, 1)
        weight = np.ones(self.num_features) if self.weight is None else np.asarray(self.weight)
        dx_hat = dy * weight.reshape(shape)
        if used_batch_stats:
            # mean and var depend on every x of the channel: project out the mean and the x_hat direction.
            n = x_hat.size // self.num_features
            mean_dx_hat_x_hat = (dx_hat * x_hat).sum(axis=axes, keepdims=True) / n
            dx = (dx_hat - x_hat * mean_dx_hat_x_hat) * inv_std.reshape(shape)
        else:
            dx = dx_hat * inv_std.reshape(shape)
        if not self.affine:
            return dx, None, None
        return dx, (dy * x_hat).sum(axis=axes), dy.sum(axis=axes)
