"""Attack: reach the forbidden numpy.cumsum through exec."""

from _base import total, Counter  # noqa: F401


def running(xs):
    scope = {"xs": xs}
    exec("import numpy\nresult = numpy.cum" + "sum(xs)", scope)
    return scope["result"]
