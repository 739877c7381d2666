"""Means with 95% confidence intervals for tone scores: Student's t, and standard errors
clustered by article (sentences of one article are not independent).

>>> _summary(pd.Series([0.5, 0.5]))["mean"]
0.5
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

# two-sided 95% quantiles of Student's t for 1..30 degrees of freedom (then ~normal)
_T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
         2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
         2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def _t975(df: np.ndarray) -> np.ndarray:
    df = np.asarray(df, dtype=float)
    out = np.full(df.shape, np.nan)
    ok = df >= 1
    small = ok & (df <= 30)
    out[small] = np.asarray(_T975)[df[small].astype(int) - 1]
    big = ok & (df > 30)
    # Cornish-Fisher style expansion, within 0.001 of the exact quantile for df > 30
    z = 1.959964
    d = df[big]
    out[big] = z + (z ** 3 + z) / (4 * d) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * d ** 2)
    return out


def _summary(values: pd.Series, groups: pd.Series | None = None) -> dict:
    """Mean and 95% CI of ``values``; with ``groups`` (article ids) the standard error is
    cluster-robust, since sentences of one article are not independent. The interval is clipped
    to :data:`SCALE`."""
    x = values.to_numpy(dtype=float)
    keep = ~np.isnan(x)
    x = x[keep]
    n = len(x)
    if n == 0:
        return {"n": 0, "mean": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    m = float(x.mean())
    if groups is None:
        se = float(x.std(ddof=1) / math.sqrt(n)) if n > 1 else np.nan
        dof = n - 1
    else:
        g = groups.to_numpy()[keep]
        resid = pd.Series(x - m).groupby(g).sum().to_numpy()
        G = len(resid)
        se = float(math.sqrt(G / (G - 1) * (resid ** 2).sum()) / n) if G > 1 else np.nan
        dof = G - 1
    t = float(_t975(np.array([dof]))[0]) if dof >= 1 else np.nan
    low, high = _clip_ci(m - t * se, m + t * se)
    return {"n": n, "mean": m, "ci_low": low, "ci_high": high}


#: Compound scores (and means of them, and shares) lie in [-1, 1]: a confidence interval is
#: clipped to that scale. With very few articles the t quantile is large (12.7 for two) and the
#: unclipped interval runs far outside it; clipped, it says "anywhere on the scale", which is true.
SCALE = (-1.0, 1.0)


def _clip_ci(low, high):
    """``(low, high)`` clipped to :data:`SCALE` (NaN stays NaN); floats or Series."""
    return np.clip(low, *SCALE), np.clip(high, *SCALE)


__all__ = ["SCALE"]
