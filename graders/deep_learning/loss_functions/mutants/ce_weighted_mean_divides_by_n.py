"""MUTANT ce_weighted_mean_divides_by_n: the weighted mean divides by the number of targets N, not by sum w[y]."""

from __future__ import annotations

import torch

_REDUCTIONS = ("none", "mean", "sum")


def _check_reduction(reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def _reduce(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.mean()


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
    _check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing}")
    if logits.dim() == 0:
        raise ValueError("logits need at least one dimension (the classes)")
    unbatched = logits.dim() == 1
    if unbatched:
        logits, target = logits.unsqueeze(0), target.unsqueeze(0)
    n_classes = logits.shape[1]
    if weight is not None and tuple(weight.shape) != (n_classes,):
        raise ValueError(f"weight must have shape ({n_classes},), got {tuple(weight.shape)}")
    w = torch.ones(n_classes, dtype=logits.dtype) if weight is None else weight.to(logits.dtype)
    w_shape = (1, n_classes) + (1,) * (logits.dim() - 2)  # broadcasts along the class dimension
    # log-softmax through logsumexp: stable for any logits, finite wherever a logit is finite.
    log_p = logits - torch.logsumexp(logits, dim=1, keepdim=True)

    if target.is_floating_point():
        if target.shape != logits.shape:
            raise ValueError(f"probability target must have the shape of logits {tuple(logits.shape)}")
        t = target.to(logits.dtype)
        if label_smoothing > 0:
            t = (1 - label_smoothing) * t + label_smoothing / n_classes
        loss = -(w.reshape(w_shape) * t * log_p).sum(dim=1)
        return _reduce(loss.squeeze(0) if unbatched else loss, reduction)

    expected = logits.shape[:1] + logits.shape[2:]
    if target.shape != expected:
        raise ValueError(f"class-index target must have shape {tuple(expected)}, got {tuple(target.shape)}")
    keep = target != ignore_index
    if bool(((target[keep] < 0) | (target[keep] >= n_classes)).any()):
        raise ValueError(f"class indices must be in [0, {n_classes}) or equal ignore_index")
    safe = torch.where(keep, target, torch.zeros_like(target)).long()
    w_y = w[safe] * keep.to(logits.dtype)  # 0 for ignored targets
    nll = -log_p.gather(1, safe.unsqueeze(1)).squeeze(1)
    loss = w_y * nll
    if label_smoothing > 0:
        smooth = -(w.reshape(w_shape) * log_p).sum(dim=1) * keep.to(logits.dtype)
        loss = (1 - label_smoothing) * loss + (label_smoothing / n_classes) * smooth
    if reduction == "none":
        return loss.squeeze(0) if unbatched else loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / loss.numel()  # 0/0 = NaN when every target is ignored, as torch


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
    _check_reduction(reduction)
    if target.shape != logits.shape:
        raise ValueError(
            f"target shape {tuple(target.shape)} differs from logits shape {tuple(logits.shape)}"
        )
    t = target.to(logits.dtype)
    # log(1 + exp(-z)) = logaddexp(0, -z): never overflows, and unlike max(-z, 0) + log1p(exp(-|z|)) its autograd
    # derivative is right at z = 0 too (the subgradients of max and |z| picked there do not add up to -1/2).
    softplus_neg = torch.logaddexp(torch.zeros_like(logits), -logits)
    if pos_weight is None:
        loss = (1 - t) * logits + softplus_neg
    else:
        pw = pos_weight.to(logits.dtype)
        # -log sigmoid(z) = softplus(-z); -log(1 - sigmoid(z)) = z + softplus(-z)
        loss = (1 - t) * logits + (1 + (pw - 1) * t) * softplus_neg
    return _reduce(loss, reduction)


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
    _check_reduction(reduction)
    if pred.shape != target.shape:
        raise ValueError(f"pred shape {tuple(pred.shape)} differs from target shape {tuple(target.shape)}")
    return _reduce((pred - target.to(pred.dtype)) ** 2, reduction)


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
    _check_reduction(reduction)
    if p not in (1, 2):
        raise ValueError(f"p must be 1 or 2, got {p}")
    if x.dim() not in (1, 2):
        raise ValueError("x must have shape (N, C) or (C,)")
    unbatched = x.dim() == 1
    if unbatched:
        x, y = x.unsqueeze(0), y.unsqueeze(0)
    n, n_classes = x.shape
    if tuple(y.shape) != (n,):
        raise ValueError(f"y must have shape ({n},), got {tuple(y.shape)}")
    if bool(((y < 0) | (y >= n_classes)).any()):
        raise ValueError(f"classes must be in [0, {n_classes})")
    if weight is not None and tuple(weight.shape) != (n_classes,):
        raise ValueError(f"weight must have shape ({n_classes},), got {tuple(weight.shape)}")
    y = y.long()
    true_score = x.gather(1, y.unsqueeze(1))
    hinge = torch.relu(margin - true_score + x) ** p  # relu'(0) = 0, as torch's own kernel at the kink
    others = torch.ones_like(x, dtype=torch.bool).scatter(1, y.unsqueeze(1), False)
    loss = (hinge * others).sum(dim=1) / n_classes
    if weight is not None:
        loss = loss * weight.to(x.dtype)[y]
    return _reduce(loss.squeeze(0) if unbatched else loss, reduction)
