"""Loss functions in differentiable torch, exactly as ``torch.nn.functional`` defines them."""

from __future__ import annotations

import torch


def cross_entropy(  # noqa: PLR0917 (the signature of F.cross_entropy)
    logits: torch.Tensor,
    target: torch.Tensor,
    weight: torch.Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> torch.Tensor:
    """Cross-entropy between logits and class indices or class probabilities, as ``F.cross_entropy``.

    Parameters
    ----------
    logits : torch.Tensor of shape (N, C), (C,) or (N, C, d1, ..., dk)
        Unnormalised scores; the class dimension is dim 1 (dim 0 for a single sample of shape (C,)).
    target : torch.Tensor
        Either class indices (int64) of shape (N,), () or (N, d1, ..., dk), each in ``[0, C)`` or equal to
        ``ignore_index``; or class probabilities (floating) of the shape of ``logits``.
    weight : torch.Tensor of shape (C,), optional
        Per-class weights; None means all ones.
    ignore_index : int, default=-100
        A class-index target equal to it contributes nothing, to the numerator or the denominator.
    reduction : {"none", "mean", "sum"}, default="mean"
        ``"mean"`` with class indices divides by the sum of ``weight[target]`` over non-ignored targets (NaN if
        every target is ignored); with probabilities it divides by the number of samples (N times d1...dk).
    label_smoothing : float, default=0.0
        ``eps`` in ``[0, 1]``: the target becomes ``(1 - eps) * target + eps / C`` (uniform over all C classes).

    Returns
    -------
    torch.Tensor
        A scalar for ``"mean"`` and ``"sum"``; for ``"none"`` the per-sample losses, shaped like the class-index
        target (0 where ignored).

    Raises
    ------
    ValueError
        For an unknown ``reduction``, ``label_smoothing`` outside ``[0, 1]``, a target whose shape does not fit
        ``logits``, a class index outside ``[0, C)`` that is not ``ignore_index``, or ``weight`` not of shape (C,).

    Examples
    --------
    >>> logits = torch.tensor([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    >>> cross_entropy(logits, torch.tensor([0, 2]), reduction="none")
    tensor([0.2395, 1.0986])
    """
    # TODO(task 1): class-index targets: log-softmax, weights, ignore_index, reductions.
    # TODO(task 2): label smoothing, and probability targets.
    raise NotImplementedError


def bce_with_logits(
    logits: torch.Tensor,
    target: torch.Tensor,
    pos_weight: torch.Tensor | None = None,
    reduction: str = "mean",
) -> torch.Tensor:
    """Binary cross-entropy on logits, ``-[pw * t * log sigmoid(z) + (1 - t) * log(1 - sigmoid(z))]``, stably.

    Parameters
    ----------
    logits : torch.Tensor of any shape
        Unnormalised scores ``z``.
    target : torch.Tensor of the shape of ``logits``
        Targets ``t`` in ``[0, 1]`` (probabilities allowed).
    pos_weight : torch.Tensor, optional
        Weight ``pw`` of the positive term, broadcast against ``logits`` along the last dimension (shape (C,) or a
        scalar); None means 1.
    reduction : {"none", "mean", "sum"}, default="mean"

    Returns
    -------
    torch.Tensor
        A scalar for ``"mean"`` and ``"sum"``; the element-wise losses (shape of ``logits``) for ``"none"``.

    Raises
    ------
    ValueError
        For an unknown ``reduction``, or ``target`` of another shape than ``logits``.

    Examples
    --------
    >>> bce_with_logits(torch.tensor([0.0, 2.0]), torch.tensor([1.0, 0.0]), reduction="none")
    tensor([0.6931, 2.1269])
    """
    # TODO(task 3): the stable form max(z, 0) - z t + log(1 + exp(-|z|)), then pos_weight.
    raise NotImplementedError


def mse_loss(pred: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    """Mean squared error ``(pred - target) ** 2``, as ``F.mse_loss``.

    Parameters
    ----------
    pred : torch.Tensor of any shape
    target : torch.Tensor of the shape of ``pred``
    reduction : {"none", "mean", "sum"}, default="mean"

    Returns
    -------
    torch.Tensor
        A scalar for ``"mean"`` and ``"sum"``; the element-wise squared errors for ``"none"``.

    Raises
    ------
    ValueError
        For an unknown ``reduction``, or shapes that differ (no broadcasting).

    Examples
    --------
    >>> mse_loss(torch.tensor([1.0, 2.0, 4.0]), torch.tensor([1.0, 0.0, 1.0]))
    tensor(4.3333)
    """
    # TODO(task 4): squared errors; check the shapes first, then reduce.
    raise NotImplementedError


def multi_margin_loss(  # noqa: PLR0917 (the signature of F.multi_margin_loss)
    x: torch.Tensor,
    y: torch.Tensor,
    margin: float = 1.0,
    p: int = 1,
    weight: torch.Tensor | None = None,
    reduction: str = "mean",
) -> torch.Tensor:
    """Multi-class hinge loss (Weston-Watkins), as ``F.multi_margin_loss``.

    ``loss_i = w[y_i] * sum_{j != y_i} max(0, margin - x[i, y_i] + x[i, j]) ** p / C``: every wrong class that
    comes within ``margin`` of the true class counts (not only the worst one), and the sum is divided by C, not C-1.

    Parameters
    ----------
    x : torch.Tensor of shape (N, C) or (C,)
        Scores.
    y : torch.Tensor of int64, shape (N,) or ()
        True classes in ``[0, C)``.
    margin : float, default=1.0
    p : {1, 2}, default=1
        Power of each hinge term.
    weight : torch.Tensor of shape (C,), optional
        Per-class weights; sample i is weighted by ``weight[y_i]``. None means all ones.
    reduction : {"none", "mean", "sum"}, default="mean"
        ``"mean"`` divides by N (the weights do not enter the denominator).

    Returns
    -------
    torch.Tensor
        A scalar for ``"mean"`` and ``"sum"``; the per-sample losses, shaped like ``y``, for ``"none"``.

    Raises
    ------
    ValueError
        For an unknown ``reduction``, ``p`` not 1 or 2, ``y`` whose shape does not fit ``x``, a class outside
        ``[0, C)``, or ``weight`` not of shape (C,).

    Examples
    --------
    >>> multi_margin_loss(torch.tensor([[0.1, 0.2, 0.4, 0.8]]), torch.tensor([3]))
    tensor(0.3250)
    """
    # TODO(task 5): the hinge over every wrong class, to the power p, divided by C, weighted by weight[y].
    raise NotImplementedError
