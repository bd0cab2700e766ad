"""Scaled dot-product attention, as ``torch.nn.functional.scaled_dot_product_attention`` computes it."""

from __future__ import annotations

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
    # TODO(task 1): scores = q @ k^T * scale (default scale 1/sqrt(E)), softmax over the keys, weights @ v.
    # TODO(task 2): a bool attn_mask blocks where False; a float one is added; is_causal keeps keys j <= i.
    # TODO(task 3): keep everything in torch so that gradients flow back to q, k, v and a float mask.
    # TODO(task 4): validate the shapes and arguments (ValueError); fully blocked rows give zeros.
    raise NotImplementedError
