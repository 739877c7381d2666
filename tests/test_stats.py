"""Means and 95% intervals (newsdesk.stats)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from newsdesk import stats


def test_t_quantiles_are_close_to_exact():
    # exact two-sided 95% t quantiles
    exact = {1: 12.7062, 5: 2.5706, 30: 2.0423, 31: 2.0395, 60: 2.0003, 120: 1.9799, 1000: 1.9623}
    assert np.allclose(stats._t975(np.array(list(exact))), list(exact.values()), atol=2e-3)


@pytest.mark.parametrize("values, groups, expected", [
    ([0.5], None, (1, 0.5, np.nan, np.nan)),                       # one value: no interval
    ([0.1, 0.3], None, (2, 0.2, -1.0, 1.0)),                        # t of 1 dof: clipped to the scale
    ([0.2, 0.2, 0.4, 0.4], ["a", "a", "b", "b"], (4, 0.3, 0.3 - 12.706 * 0.1, 1.0)),   # two clusters, not four values
    ([np.nan, 0.2], None, (1, 0.2, np.nan, np.nan)),                # NaN is no value
])
def test_summary(values, groups, expected):
    got = stats._summary(pd.Series(values), None if groups is None else pd.Series(groups))
    np.testing.assert_allclose([got["n"], got["mean"], got["ci_low"], got["ci_high"]], expected, atol=1e-5)
