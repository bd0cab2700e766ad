"""MUTANT mask_after_softmax_no_renorm: zeroes blocked weights after the softmax without renormalising. Scaled dot-product attention, as ``torch.nn.functional.scaled_dot_product_attention`` computes it."""

from __future__ import annotations

import math

import torch


def sdpa(  # noqa: PLR0917 (torch's positional signature)
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    attn_mask: torch.Tensor | None = None,
    is_causal: bool = False,
    scale: float | None = None,
) -> torch.Tensor:
    """Scaled dot-product attention: ``softmax(q @ k^T * scale + bias) @ v``.

    Parameters
    ----------
    q : torch.Tensor of shape (..., L, E)
        Queries: ``L`` target positions of size ``E``. Floating point.
    k : torch.Tensor of shape (..., S, E)
        Keys: ``S`` source positions, of the queries' size ``E``.
    v : torch.Tensor of shape (..., S, Ev)
        Values: one per key, of any size ``Ev``.
    attn_mask : torch.Tensor broadcastable to (..., L, S), optional
        A boolean mask (``True`` = the key takes part in attention for that query, ``False`` = it is blocked)
        or a floating mask **added** to the scaled scores (``-inf`` blocks).
    is_causal : bool, default=False
        Query ``i`` attends to keys ``j <= i`` only: the mask ``ones(L, S).tril()``, aligned top-left when
        ``L != S``. Cannot be combined with ``attn_mask``.
    scale : float, optional
        Multiplies ``q @ k^T``; ``None`` means ``1 / sqrt(E)``. Any float, ``0.0`` included, is used as given.

    Returns
    -------
    torch.Tensor of shape (..., L, Ev)
        The attention output, in the inputs' dtype, differentiable with respect to ``q``, ``k``, ``v`` and a
        floating ``attn_mask``. A query row whose keys are all blocked gives zeros.

    Raises
    ------
    ValueError
        If an input has fewer than 2 dimensions, ``q`` and ``k`` differ in their last dimension, ``k`` and ``v``
        differ in their number of positions, the batch dimensions or ``attn_mask`` do not broadcast, or both
        ``attn_mask`` and ``is_causal`` are given.

    Examples
    --------
    >>> q = torch.tensor([[1.0, 0.0]])
    >>> k = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    >>> v = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> sdpa(q, k, v)
    tensor([[2., 3.]])
    >>> sdpa(q, k, v, attn_mask=torch.tensor([[True, False]]))
    tensor([[1., 2.]])
    """
    if q.dim() < 2 or k.dim() < 2 or v.dim() < 2:
        raise ValueError("q, k and v need at least 2 dimensions: (..., positions, features)")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"q and k must have the same last dimension, got {q.shape[-1]} and {k.shape[-1]}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(
            f"k and v must have the same number of positions, got {k.shape[-2]} and {v.shape[-2]}"
        )
    if attn_mask is not None and is_causal:
        raise ValueError("give either attn_mask or is_causal=True, not both")
    L, S = q.shape[-2], k.shape[-2]
    try:
        batch = torch.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
        if attn_mask is not None:
            torch.broadcast_shapes(attn_mask.shape, (*batch, L, S))
    except RuntimeError as exc:
        raise ValueError(f"shapes do not broadcast: {exc}") from None

    factor = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * factor
    if is_causal:
        attn_mask = torch.ones(L, S, dtype=torch.bool, device=q.device).tril()
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            pass
        else:
            scores = scores + attn_mask
    # A row with every key blocked has no softmax (0/0): give it zero weights, and zero gradient, instead of NaN.
    dead = scores.amax(dim=-1, keepdim=True) == float("-inf")
    weights = torch.softmax(scores.masked_fill(dead, 0.0), dim=-1).masked_fill(dead, 0.0)
    if attn_mask is not None and attn_mask.dtype == torch.bool:
        weights = weights * attn_mask
    return weights @ v
