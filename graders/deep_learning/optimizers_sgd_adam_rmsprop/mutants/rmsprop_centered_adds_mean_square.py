"""MUTANT rmsprop_centered_adds_mean_square: centered RMSprop adds g_avg^2 instead of subtracting it.

SGD (momentum, Nesterov, weight decay), Adam / AdamW (AMSGrad) and RMSprop in NumPy, step for step as torch.optim."""

from __future__ import annotations

import numpy as np


def _check_params(params: list[np.ndarray]) -> list[np.ndarray]:
    params = list(params)
    if not params:
        raise ValueError("optimizer got an empty parameter list")
    for i, p in enumerate(params):
        if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
            raise ValueError(f"params[{i}] must be a floating-point np.ndarray, updated in place")
    return params


def _check_grads(params: list[np.ndarray], grads: list[np.ndarray | None]) -> list[np.ndarray | None]:
    grads = list(grads)
    if len(grads) != len(params):
        raise ValueError(f"expected {len(params)} gradients (one per parameter, or None), got {len(grads)}")
    checked: list[np.ndarray | None] = []
    for i, (p, grad) in enumerate(zip(params, grads, strict=True)):
        if grad is None:
            checked.append(None)
            continue
        g = np.asarray(grad, dtype=p.dtype)
        if g.shape != p.shape:
            raise ValueError(f"grads[{i}] has shape {g.shape}, but params[{i}] has shape {p.shape}")
        checked.append(g)
    return checked


def _non_negative(**values: float) -> None:
    for name, value in values.items():
        if not value >= 0.0:
            raise ValueError(f"Invalid {name} value: {value}")


class SGD:
    """Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay.

    Exactly ``torch.optim.SGD``. For each parameter ``p`` with gradient ``g`` at step ``t``::

        g = g + weight_decay * p
        if momentum != 0:
            buf = g                                      if t == 1   (no dampening on the first step)
            buf = momentum * buf + (1 - dampening) * g   otherwise
            g = g + momentum * buf   if nesterov   else   buf
        p -= lr * g

    Parameters
    ----------
    params : list of np.ndarray
        The parameters (floating arrays). ``step`` updates these very arrays in place.
    lr : float
        Learning rate, >= 0.
    momentum : float, default=0.0
        Momentum factor, >= 0.
    dampening : float, default=0.0
        Dampening for momentum (not applied on the first step).
    weight_decay : float, default=0.0
        L2 penalty added to the gradient, >= 0.
    nesterov : bool, default=False
        Nesterov momentum; needs ``momentum > 0`` and ``dampening == 0``.

    Attributes
    ----------
    params : list of np.ndarray
        The list given at construction, whose arrays ``step`` updates in place.

    Raises
    ------
    ValueError
        If ``params`` is empty, ``lr``, ``momentum`` or ``weight_decay`` is negative, or ``nesterov`` is asked for
        without positive momentum and zero dampening.

    Examples
    --------
    >>> w = np.array([1.0, -2.0])
    >>> opt = SGD([w], lr=0.1, momentum=0.9)
    >>> opt.step([np.array([1.0, 1.0])])
    >>> w
    array([ 0.9, -2.1])
    """

    def __init__(  # noqa: PLR0917 - torch.optim's positional signature
        self,
        params: list[np.ndarray],
        lr: float,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        _non_negative(learning_rate=lr, momentum=momentum, weight_decay=weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        self.params = _check_params(params)
        self.lr, self.momentum, self.dampening = lr, momentum, dampening
        self.weight_decay, self.nesterov = weight_decay, nesterov
        self._buffers: list[np.ndarray | None] = [None] * len(self.params)

    def step(self, grads: list[np.ndarray | None]) -> None:
        """Update every parameter in place from its gradient.

        Parameters
        ----------
        grads : list of (np.ndarray or None)
            One gradient per parameter, shaped like it. ``None`` skips that parameter (as a torch parameter
            whose ``.grad`` is ``None``): neither it nor its momentum buffer changes.

        Raises
        ------
        ValueError
            If the number of gradients or a gradient's shape does not match the parameters.
        """
        for i, grad in enumerate(_check_grads(self.params, grads)):
            if grad is None:
                continue
            p, g = self.params[i], grad
            if self.weight_decay != 0:
                g = g + self.weight_decay * p
            if self.momentum != 0:
                buf = self._buffers[i]
                # torch starts the buffer at the first gradient itself, undamped (not at zero).
                buf = g.copy() if buf is None else self.momentum * buf + (1 - self.dampening) * g
                self._buffers[i] = buf
                g = g + self.momentum * buf if self.nesterov else buf
            p -= self.lr * g


class Adam:
    """Adam, with optional AMSGrad, and AdamW when ``decoupled=True``.

    Exactly ``torch.optim.Adam`` (``decoupled=False``) and ``torch.optim.AdamW`` (``decoupled=True``). For each
    parameter ``p`` with gradient ``g`` and its own step count ``t``::

        if decoupled: p = p * (1 - lr * weight_decay)       (AdamW: decay the weights directly)
        else:         g = g + weight_decay * p              (Adam: L2 penalty in the gradient)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        if amsgrad: v_max = max(v_max, v)  and v_max replaces v below (the max of the raw v, not of v_hat)
        m_hat = m / (1 - beta1**t),  v_hat = v / (1 - beta2**t)
        p -= lr * m_hat / (sqrt(v_hat) + eps)               (eps outside the square root)

    Parameters
    ----------
    params : list of np.ndarray
        The parameters (floating arrays). ``step`` updates these very arrays in place.
    lr : float, default=1e-3
        Learning rate, >= 0.
    betas : tuple of float, default=(0.9, 0.999)
        Decay rates of the first and second moments, each in ``[0, 1)``.
    eps : float, default=1e-8
        Added to the denominator, >= 0.
    weight_decay : float, default=0.0
        Coupled L2 penalty (Adam) or decoupled decay (AdamW), >= 0. torch's AdamW defaults to 0.01; here pass it.
    amsgrad : bool, default=False
        Use the running maximum of the second moment.
    decoupled : bool, default=False
        ``True`` gives AdamW.

    Attributes
    ----------
    params : list of np.ndarray
        The list given at construction, whose arrays ``step`` updates in place.

    Raises
    ------
    ValueError
        If ``params`` is empty, ``lr``, ``eps`` or ``weight_decay`` is negative, or a beta is outside ``[0, 1)``.

    Examples
    --------
    >>> w = np.array([1.0, -2.0])
    >>> opt = Adam([w], lr=0.1)
    >>> opt.step([np.array([0.5, -3.0])])
    >>> w  # the first step moves every entry by about lr, in the direction of -sign(g)
    array([ 0.9, -1.9])
    """

    def __init__(  # noqa: PLR0917 - torch.optim's positional signature
        self,
        params: list[np.ndarray],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        decoupled: bool = False,
    ) -> None:
        _non_negative(learning_rate=lr, epsilon=eps, weight_decay=weight_decay)
        beta1, beta2 = betas
        for index, beta in enumerate((beta1, beta2)):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {index}: {beta}")
        self.params = _check_params(params)
        self.lr, self.betas, self.eps = lr, (beta1, beta2), eps
        self.weight_decay, self.amsgrad, self.decoupled = weight_decay, amsgrad, decoupled
        self._steps = [0] * len(self.params)  # per parameter: a skipped parameter does not advance
        self._m = [np.zeros_like(p) for p in self.params]
        self._v = [np.zeros_like(p) for p in self.params]
        self._v_max = [np.zeros_like(p) for p in self.params]

    def step(self, grads: list[np.ndarray | None]) -> None:
        """Update every parameter in place from its gradient.

        Parameters
        ----------
        grads : list of (np.ndarray or None)
            One gradient per parameter, shaped like it. ``None`` skips that parameter: its value, its moments
            and its step count stay as they are.

        Raises
        ------
        ValueError
            If the number of gradients or a gradient's shape does not match the parameters.
        """
        beta1, beta2 = self.betas
        for i, grad in enumerate(_check_grads(self.params, grads)):
            if grad is None:
                continue
            p, g = self.params[i], grad
            self._steps[i] += 1
            t = self._steps[i]
            if self.decoupled:
                p *= 1 - self.lr * self.weight_decay
            elif self.weight_decay != 0:
                g = g + self.weight_decay * p
            self._m[i] = beta1 * self._m[i] + (1 - beta1) * g
            self._v[i] = beta2 * self._v[i] + (1 - beta2) * g * g
            v = self._v[i]
            if self.amsgrad:
                self._v_max[i] = np.maximum(self._v_max[i], v)
                v = self._v_max[i]
            m_hat = self._m[i] / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class RMSprop:
    """RMSprop, with optional momentum, centering and L2 weight decay.

    Exactly ``torch.optim.RMSprop``. For each parameter ``p`` with gradient ``g``::

        g = g + weight_decay * p
        v = alpha * v + (1 - alpha) * g**2
        if centered: g_avg = alpha * g_avg + (1 - alpha) * g;  denom = sqrt(v - g_avg**2) + eps
        else:        denom = sqrt(v) + eps                  (eps outside the square root)
        if momentum > 0: buf = momentum * buf + g / denom;  p -= lr * buf
        else:            p -= lr * g / denom

    ``v``, ``g_avg`` and ``buf`` start at zero.

    Parameters
    ----------
    params : list of np.ndarray
        The parameters (floating arrays). ``step`` updates these very arrays in place.
    lr : float, default=1e-2
        Learning rate, >= 0.
    alpha : float, default=0.99
        Smoothing constant of the squared-gradient average, >= 0.
    eps : float, default=1e-8
        Added to the denominator, >= 0.
    weight_decay : float, default=0.0
        L2 penalty added to the gradient, >= 0.
    momentum : float, default=0.0
        Momentum factor, >= 0.
    centered : bool, default=False
        Normalise by an estimate of the gradient's variance instead of its second moment.

    Attributes
    ----------
    params : list of np.ndarray
        The list given at construction, whose arrays ``step`` updates in place.

    Raises
    ------
    ValueError
        If ``params`` is empty or ``lr``, ``alpha``, ``eps``, ``weight_decay`` or ``momentum`` is negative.

    Examples
    --------
    >>> w = np.array([1.0])
    >>> opt = RMSprop([w], lr=0.01, alpha=0.99, eps=0.0)
    >>> opt.step([np.array([2.0])])
    >>> w  # first step: v = 0.01 * 4, so p -= 0.01 * 2 / 0.2
    array([0.9])
    """

    def __init__(  # noqa: PLR0917 - torch.optim's positional signature
        self,
        params: list[np.ndarray],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        _non_negative(
            learning_rate=lr, alpha=alpha, epsilon=eps, weight_decay=weight_decay, momentum=momentum
        )
        self.params = _check_params(params)
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.weight_decay, self.momentum, self.centered = weight_decay, momentum, centered
        self._v = [np.zeros_like(p) for p in self.params]
        self._g_avg = [np.zeros_like(p) for p in self.params]
        self._buf = [np.zeros_like(p) for p in self.params]

    def step(self, grads: list[np.ndarray | None]) -> None:
        """Update every parameter in place from its gradient.

        Parameters
        ----------
        grads : list of (np.ndarray or None)
            One gradient per parameter, shaped like it. ``None`` skips that parameter and its state.

        Raises
        ------
        ValueError
            If the number of gradients or a gradient's shape does not match the parameters.
        """
        a = self.alpha
        for i, grad in enumerate(_check_grads(self.params, grads)):
            if grad is None:
                continue
            p, g = self.params[i], grad
            if self.weight_decay != 0:
                g = g + self.weight_decay * p
            self._v[i] = a * self._v[i] + (1 - a) * g * g
            if self.centered:
                self._g_avg[i] = a * self._g_avg[i] + (1 - a) * g
                denom = np.sqrt(self._v[i] + self._g_avg[i] ** 2) + self.eps
            else:
                denom = np.sqrt(self._v[i]) + self.eps
            if self.momentum > 0:
                self._buf[i] = self.momentum * self._buf[i] + g / denom
                p -= self.lr * self._buf[i]
            else:
                p -= self.lr * g / denom
