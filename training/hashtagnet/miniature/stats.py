"""Paired statistics over seeds: mean ± sd, and the two-sided paired t-test that decides whether a claim holds."""

from __future__ import annotations

import math
from typing import Sequence

ALPHA = 0.05


def _betacf(a: float, b: float, x: float, iterations: int = 200, eps: float = 1e-14) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz, Numerical Recipes 6.4)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, iterations + 1):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < eps:
            break
    return h


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1.0 - x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_two_sided_p(t: float, df: int) -> float:
    """P(|T| >= |t|) for Student's t with df degrees of freedom."""
    if math.isinf(t):
        return 0.0
    return incomplete_beta(df / 2.0, 0.5, df / (df + t * t))


def mean_sd(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (n - 1); sd 0 for a single value."""
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else 0.0
    return mean, sd


def paired_claim(a: Sequence[float], b: Sequence[float]) -> dict:
    """a - b per seed: mean ± sd of the difference, wins of a, paired t and its two-sided p. The claim "a beats b"
    holds when p < ALPHA and the mean difference is positive; reverse_holds when p < ALPHA and it is negative."""
    diffs = [x - y for x, y in zip(a, b, strict=True)]
    mean, sd = mean_sd(diffs)
    n = len(diffs)
    if n < 2:
        t, p = None, None
    elif sd == 0.0:
        t, p = (0.0, 1.0) if mean == 0.0 else (math.copysign(math.inf, mean), 0.0)
    else:
        t = mean / (sd / math.sqrt(n))
        p = t_two_sided_p(t, n - 1)
    significant = n >= 2 and p < ALPHA
    return {"seeds": n, "mean_diff": mean, "sd_diff": sd, "wins": sum(d > 0 for d in diffs), "t": t, "p": p,
            "beyond_2sd": abs(mean) > 2 * sd, "holds": bool(significant and mean > 0),
            "reverse_holds": bool(significant and mean < 0)}
