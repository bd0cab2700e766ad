"""MUTANT head_split_without_transpose: heads split with view(N, h, T, d), mixing positions and features. Multi-head attention with the parameters, layouts and mask conventions of ``torch.nn.MultiheadAttention``."""

from __future__ import annotations

import math

import torch


def multi_head_attention(  # noqa: PLR0917 (torch's functional form takes its weights positionally)
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    in_proj_weight: torch.Tensor,
    in_proj_bias: torch.Tensor | None,
    out_proj_weight: torch.Tensor,
    out_proj_bias: torch.Tensor | None,
    num_heads: int,
    key_padding_mask: torch.Tensor | None = None,
    attn_mask: torch.Tensor | None = None,
    batch_first: bool = True,
) -> torch.Tensor:
    """Functional multi-head attention: the output of ``MultiHeadAttention.forward`` from explicit weights.

    Parameters
    ----------
    query : torch.Tensor of shape (N, L, E), (L, N, E) if not ``batch_first``, or (L, E) unbatched
        Queries; ``E`` is the embedding size.
    key : torch.Tensor of shape (N, S, E), (S, N, E) if not ``batch_first``, or (S, E) unbatched
        Keys.
    value : torch.Tensor of the shape of ``key``
        Values.
    in_proj_weight : torch.Tensor of shape (3 * E, E)
        The query, key and value projections stacked in that order: ``[W_q; W_k; W_v]``; ``x @ W_q.T``.
    in_proj_bias : torch.Tensor of shape (3 * E,), or None
        Their biases ``[b_q; b_k; b_v]``; ``None`` means no bias.
    out_proj_weight : torch.Tensor of shape (E, E)
        The output projection, applied as ``x @ out_proj_weight.T``.
    out_proj_bias : torch.Tensor of shape (E,), or None
        Its bias; ``None`` means no bias.
    num_heads : int
        Number of heads ``h``; ``E`` must be divisible by it. Each head has ``E / h`` features.
    key_padding_mask : torch.Tensor of shape (N, S) (or (S,) unbatched), optional
        Boolean: ``True`` = this key is padding and is **ignored**. Floating: added to the scores.
    attn_mask : torch.Tensor of shape (L, S) or (N * h, L, S) (or (h, L, S) unbatched), optional
        Boolean: ``True`` = this query may **not** attend to this key. Floating: added to the scores.
    batch_first : bool, default=True
        Whether batched inputs and output are (N, L, E) (``True``) or (L, N, E) (``False``).

    Returns
    -------
    torch.Tensor of the shape of ``query``
        The attention output, differentiable with respect to the inputs and every weight.

    Raises
    ------
    ValueError
        On the conditions listed in ``MultiHeadAttention.forward``.

    Examples
    --------
    >>> E = 4
    >>> x = torch.ones(1, 3, E)
    >>> out = multi_head_attention(x, x, x, torch.eye(E).repeat(3, 1), None, torch.eye(E), None, num_heads=2)
    >>> out.shape
    torch.Size([1, 3, 4])
    >>> torch.allclose(out, x)
    True
    """
    out, _ = _attend(
        query,
        key,
        value,
        in_proj_weight,
        in_proj_bias,
        out_proj_weight,
        out_proj_bias,
        num_heads,
        key_padding_mask,
        attn_mask,
        batch_first,
    )
    return out


class MultiHeadAttention:
    """Multi-head attention with ``torch.nn.MultiheadAttention``'s parameters and conventions.

    ``out = concat(head_1, ..., head_h) @ W_o.T + b_o`` with ``head_i = softmax(q_i @ k_i.T / sqrt(E/h) + bias) @ v_i``
    and ``q = query @ W_q.T + b_q`` (likewise ``k``, ``v``) split into ``h`` heads of ``E/h`` features.

    Parameters
    ----------
    embed_dim : int
        Embedding size ``E`` of queries, keys, values and output.
    num_heads : int
        Number of heads ``h``; ``embed_dim`` must be divisible by it.
    bias : bool, default=True
        Whether the input and output projections have biases.
    batch_first : bool, default=True
        Whether batched tensors are (N, L, E) (``True``) or (L, N, E) (``False``, torch's default).

    Attributes
    ----------
    embed_dim, num_heads, head_dim, batch_first : int, int, int, bool
        The configuration; ``head_dim = embed_dim // num_heads``.
    in_proj_weight : torch.Tensor of shape (3 * E, E)
        ``[W_q; W_k; W_v]`` stacked, float32 zeros after construction.
    in_proj_bias : torch.Tensor of shape (3 * E,), or None
        ``[b_q; b_k; b_v]``, zeros after construction; ``None`` if ``bias=False``.
    out_proj_weight : torch.Tensor of shape (E, E)
        Output projection weight (torch's ``out_proj.weight``), zeros after construction.
    out_proj_bias : torch.Tensor of shape (E,), or None
        Output projection bias (torch's ``out_proj.bias``), zeros; ``None`` if ``bias=False``.

    Raises
    ------
    ValueError
        If ``embed_dim`` or ``num_heads`` is not positive, or ``embed_dim`` is not divisible by ``num_heads``.

    Examples
    --------
    >>> mha = MultiHeadAttention(embed_dim=4, num_heads=2)
    >>> mha.in_proj_weight.shape, mha.head_dim
    (torch.Size([12, 4]), 2)
    >>> out, weights = mha(torch.ones(1, 3, 4), torch.ones(1, 5, 4), torch.ones(1, 5, 4))
    >>> out.shape, weights.shape
    (torch.Size([1, 3, 4]), torch.Size([1, 3, 5]))
    """

    def __init__(self, embed_dim: int, num_heads: int, bias: bool = True, batch_first: bool = True) -> None:
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"embed_dim and num_heads must be positive, got {embed_dim} and {num_heads}")
        if embed_dim % num_heads != 0:
            raise ValueError(f"embed_dim ({embed_dim}) must be divisible by num_heads ({num_heads})")
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.batch_first = batch_first
        self.in_proj_weight = torch.zeros(3 * embed_dim, embed_dim)
        self.in_proj_bias: torch.Tensor | None = torch.zeros(3 * embed_dim) if bias else None
        self.out_proj_weight = torch.zeros(embed_dim, embed_dim)
        self.out_proj_bias: torch.Tensor | None = torch.zeros(embed_dim) if bias else None

    @classmethod
    def from_torch(cls, mha: torch.nn.MultiheadAttention) -> MultiHeadAttention:
        """Build a layer with the configuration and (detached copies of the) weights of a torch layer.

        Parameters
        ----------
        mha : torch.nn.MultiheadAttention
            A layer built with ``kdim = vdim = embed_dim`` and no ``bias_k``/``bias_v``.

        Returns
        -------
        MultiHeadAttention
            A layer that computes what ``mha`` computes (in eval mode, without dropout).
        """
        layer = cls(
            mha.embed_dim, mha.num_heads, bias=mha.in_proj_bias is not None, batch_first=mha.batch_first
        )
        return layer.load_state_dict(dict(mha.state_dict()))

    def load_state_dict(self, state_dict: dict[str, torch.Tensor]) -> MultiHeadAttention:
        """Copy weights from a ``torch.nn.MultiheadAttention`` state dict; return ``self``.

        Parameters
        ----------
        state_dict : dict of str to torch.Tensor
            torch's keys: ``"in_proj_weight"``, ``"out_proj.weight"`` and, with biases, ``"in_proj_bias"`` and
            ``"out_proj.bias"``.

        Returns
        -------
        MultiHeadAttention
            ``self``, its four attributes replaced by detached copies of those tensors.

        Raises
        ------
        ValueError
            If a tensor has the wrong shape, or a key this layer needs is missing.
        """
        E = self.embed_dim
        wanted = {"in_proj_weight": (3 * E, E), "out_proj.weight": (E, E)}
        if self.in_proj_bias is not None:
            wanted |= {"in_proj_bias": (3 * E,), "out_proj.bias": (E,)}
        for name, shape in wanted.items():
            if name not in state_dict:
                raise ValueError(f"state_dict has no {name!r}")
            if tuple(state_dict[name].shape) != shape:
                raise ValueError(f"{name} must have shape {shape}, got {tuple(state_dict[name].shape)}")
        self.in_proj_weight = state_dict["in_proj_weight"].detach().clone()
        self.out_proj_weight = state_dict["out_proj.weight"].detach().clone()
        if self.in_proj_bias is not None:
            self.in_proj_bias = state_dict["in_proj_bias"].detach().clone()
            self.out_proj_bias = state_dict["out_proj.bias"].detach().clone()
        return self

    def forward(  # noqa: PLR0917 (torch's positional signature)
        self,
        query: torch.Tensor,
        key: torch.Tensor,
        value: torch.Tensor,
        key_padding_mask: torch.Tensor | None = None,
        attn_mask: torch.Tensor | None = None,
        need_weights: bool = True,
        average_attn_weights: bool = True,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Attend from ``query`` to ``key``/``value``; ``layer(...)`` calls this.

        Parameters
        ----------
        query : torch.Tensor of shape (N, L, E), (L, N, E) if not ``batch_first``, or (L, E) unbatched
            Queries.
        key : torch.Tensor of shape (N, S, E), (S, N, E) if not ``batch_first``, or (S, E) unbatched
            Keys (``S`` may differ from ``L``: cross-attention).
        value : torch.Tensor of the shape of ``key``
            Values.
        key_padding_mask : torch.Tensor of shape (N, S) (or (S,) unbatched), optional
            Boolean: ``True`` = this key is padding and is **ignored**. Floating: added to the scores.
        attn_mask : torch.Tensor of shape (L, S) or (N * h, L, S) (or (h, L, S) unbatched), optional
            Boolean: ``True`` = **not allowed** to attend. Floating: added to the scores. Row ``n * h + i`` of a
            3-D mask is for batch element ``n`` and head ``i``.
        need_weights : bool, default=True
            Whether to return the attention weights (else ``None`` in their place).
        average_attn_weights : bool, default=True
            Average the weights over the heads, (N, L, S); else per head, (N, h, L, S).

        Returns
        -------
        output : torch.Tensor of the shape of ``query``
            The attention output, in the layout of ``query``.
        weights : torch.Tensor of shape (N, L, S) or (N, h, L, S) ((L, S) or (h, L, S) unbatched), or None
            The softmax weights, batch first whatever ``batch_first`` is.

        Raises
        ------
        ValueError
            If query, key and value do not all have 2 or all have 3 dimensions, their last dimension is not
            ``embed_dim``, key and value differ in shape, the batch sizes differ, or a mask has the wrong shape.
        """
        out, weights = _attend(
            query,
            key,
            value,
            self.in_proj_weight,
            self.in_proj_bias,
            self.out_proj_weight,
            self.out_proj_bias,
            self.num_heads,
            key_padding_mask,
            attn_mask,
            self.batch_first,
        )
        if not need_weights:
            return out, None
        return out, weights.mean(dim=-3) if average_attn_weights else weights

    def __call__(  # noqa: PLR0917 (torch's positional signature)
        self,
        query: torch.Tensor,
        key: torch.Tensor,
        value: torch.Tensor,
        key_padding_mask: torch.Tensor | None = None,
        attn_mask: torch.Tensor | None = None,
        need_weights: bool = True,
        average_attn_weights: bool = True,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        return self.forward(
            query, key, value, key_padding_mask, attn_mask, need_weights, average_attn_weights
        )


def _mask_to_bias(mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """torch's MHA masks: a boolean True blocks (-inf), a float mask is added as it is."""
    if mask.dtype == torch.bool:
        return torch.zeros(mask.shape, dtype=dtype).masked_fill(mask, float("-inf"))
    return mask.to(dtype)


def _attend(  # noqa: PLR0917
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    w_in: torch.Tensor,
    b_in: torch.Tensor | None,
    w_out: torch.Tensor,
    b_out: torch.Tensor | None,
    h: int,
    key_padding_mask: torch.Tensor | None,
    attn_mask: torch.Tensor | None,
    batch_first: bool,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Output in the layout of ``query`` and per-head weights (N, h, L, S) (unbatched: (h, L, S))."""
    if not query.dim() == key.dim() == value.dim() or query.dim() not in (2, 3):
        raise ValueError("query, key and value must all be 2-D (unbatched) or all 3-D (batched)")
    E = w_out.shape[0]
    if h <= 0 or E % h != 0:
        raise ValueError(f"embed_dim ({E}) must be divisible by num_heads ({h})")
    if query.shape[-1] != E or key.shape[-1] != E:
        raise ValueError(f"query and key must have embed_dim = {E} features")
    if key.shape != value.shape:
        raise ValueError(
            f"key and value must have the same shape, got {tuple(key.shape)} and {tuple(value.shape)}"
        )
    unbatched = query.dim() == 2
    if unbatched:
        query, key, value = query.unsqueeze(0), key.unsqueeze(0), value.unsqueeze(0)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    elif not batch_first:
        query, key, value = query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1)
    N, L, _ = query.shape
    S = key.shape[1]
    if key.shape[0] != N:
        raise ValueError(f"query and key have different batch sizes, {N} and {key.shape[0]}")
    d = E // h

    w_q, w_k, w_v = w_in.chunk(3)
    b_q, b_k, b_v = (None, None, None) if b_in is None else b_in.chunk(3)

    def heads(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor | None) -> torch.Tensor:
        x = x @ w.T if b is None else x @ w.T + b
        # (N, T, E) -> (N, T, h, d) -> (N, h, T, d): head i owns features i*d .. (i+1)*d - 1.
        return x.reshape(N, h, x.shape[1], d)

    q, k, v = heads(query, w_q, b_q), heads(key, w_k, b_k), heads(value, w_v, b_v)
    scores = (q @ k.transpose(-2, -1)) / math.sqrt(d)  # (N, h, L, S)
    if attn_mask is not None:
        if attn_mask.shape == (L, S):
            bias = _mask_to_bias(attn_mask, scores.dtype)
        elif attn_mask.shape == (N * h, L, S):
            bias = _mask_to_bias(attn_mask, scores.dtype).reshape(N, h, L, S)
        else:
            raise ValueError(
                f"attn_mask must have shape {(L, S)} or {(N * h, L, S)}, got {tuple(attn_mask.shape)}"
            )
        scores = scores + bias
    if key_padding_mask is not None:
        if key_padding_mask.shape != (N, S):
            raise ValueError(
                f"key_padding_mask must have shape {(N, S)}, got {tuple(key_padding_mask.shape)}"
            )
        scores = scores + _mask_to_bias(key_padding_mask, scores.dtype).reshape(N, 1, 1, S)
    weights = torch.softmax(scores, dim=-1)
    out = (weights @ v).transpose(1, 2).reshape(N, L, E)
    out = out @ w_out.T if b_out is None else out @ w_out.T + b_out
    if unbatched:
        return out.squeeze(0), weights.squeeze(0)
    if not batch_first:
        out = out.transpose(0, 1)
    return out, weights
