"""Multi-head attention with the parameters, layouts and mask conventions of ``torch.nn.MultiheadAttention``."""

from __future__ import annotations

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
    # TODO(task 2): the same computation as MultiHeadAttention.forward, from explicit weights;
    # TODO(task 5): stay in torch so that gradients reach the inputs and every weight.
    raise NotImplementedError


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
        # TODO(task 1): validate, store embed_dim, num_heads, head_dim, batch_first; allocate the four
        # zero weight tensors (biases None when bias=False).
        raise NotImplementedError

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
        # TODO(task 1): read the configuration of mha and copy its weights (see load_state_dict).
        raise NotImplementedError

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
        # TODO(task 1): check the keys and shapes, then store detached copies of the tensors.
        raise NotImplementedError

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
        # TODO(task 2): project with [W_q; W_k; W_v], split into heads, scale by 1/sqrt(E/h), softmax,
        # merge the heads, project out.
        # TODO(task 3): key_padding_mask and attn_mask (True = blocked; floats are added).
        # TODO(task 4): need_weights, average_attn_weights, batch_first and unbatched inputs;
        # ValueError for bad shapes.
        raise NotImplementedError

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
