"""Calendar periods: the one freq check, period starts, rolling windows, well-covered periods."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from newsdesk import periods


@pytest.mark.parametrize("freq_in, expected", [
    ("day", "day"), ("Weekly", "week"), ("M", "month"), (" month ", "month"), ("daily", "day"),
    ("quarterly", "quarter"), ("Y", "year"), ("annual", "year"),
])
def test_check_freq(freq_in, expected):
    assert periods.check_freq(freq_in) == expected


@pytest.mark.parametrize("bad", ["decade", "", "fortnight"])
def test_check_freq_rejects(bad):
    with pytest.raises(ValueError, match="day, week, month"):
        periods.check_freq(bad)


@pytest.mark.parametrize("date_in, freq, expected", [
    ("2016-03-31 23:00", "month", "2016-03-01"),
    ("2016-01-03", "week", "2015-12-28"),   # a Sunday closes the week that began on Monday
    ("2016-01-04", "week", "2016-01-04"),   # a Monday opens a new week
    ("2016-02-29 18:00", "day", "2016-02-29"),
])
def test_period_start(date_in, freq, expected):
    got = periods.period_start(pd.Series(pd.to_datetime([date_in])), freq=freq)
    assert got.iloc[0] == pd.Timestamp(expected)


@pytest.mark.parametrize("values, window, center, expected", [
    ([0, 3, 0, 3], 2, False, [None, 1.5, 1.5, 1.5]),
    ([3, 0, 0, 6], 3, True, [None, 1.0, 2.0, None]),    # the edges have no full centred window
    ([1, 2, 3], 1, True, [1.0, 2.0, 3.0]),
    ([4, 8], 3, True, [None, None]),                    # a 3-period mean is never drawn through two periods
])
def test_window_mean(values, window, center, expected):
    got = periods.window_mean(pd.DataFrame({"x": values}), window, center=center)["x"].tolist()
    assert [None if np.isnan(v) else v for v in got] == pytest.approx(expected)


@pytest.mark.parametrize("bad", [0, -2, 1.5, "three"])
def test_window_mean_rejects(bad):
    with pytest.raises(ValueError, match="rolling"):
        periods.window_mean(pd.DataFrame({"x": [1]}), bad)


@pytest.mark.parametrize("counts_in, expected", [
    ([10, 1, 8, 0, 12], [True, False, True, False, True]),   # half the median of 8, 10, 12, 1
    ([3, 3, 3], [True, True, True]),
    ([0, 5, 0], [False, True, False]),
])
def test_well_covered(counts_in, expected):
    assert periods.well_covered(pd.Series(counts_in)).tolist() == expected


def _days(n: int, *, start: str = "2020-01-01", step: str = "D") -> pd.Series:
    return pd.Series(pd.date_range(start, periods=n, freq=step))


@pytest.mark.parametrize("dates, min_per_period, expected", [
    (_days(300), 5, "week"),                  # 300 days of one article: 7 a week
    (_days(300), 20, "month"),                # 30 a month
    (_days(600, step="h"), 5, "day"),         # 25 days of 24 articles a day
    (_days(60, step="7D"), 5, "quarter"),     # one a week for 14 months: 13 a quarter
    (_days(40, step="90D"), 5, "year"),       # one a quarter for ten years: the coarsest
    (_days(1), 5, "year"),                    # one article: nothing to split
    (_days(3000, step="h"), 1, "week"),       # 125 days: at most 120 periods, so weeks, not days
])
def test_freq_or_auto_takes_the_finest_period_the_dates_fill(dates, min_per_period, expected):
    got, note = periods.freq_or_auto(dates, "auto", min_per_period=min_per_period)
    assert got == expected
    assert note.startswith(f"Period: {expected}, chosen from the dates") and "set freq to choose" in note


def test_freq_or_auto_keeps_a_given_freq_and_checks_it():
    assert periods.freq_or_auto(_days(300), "Monthly") == ("month", "Period: month (as given).")
    with pytest.raises(ValueError, match="freq must be one of"):
        periods.freq_or_auto(_days(3), "fortnight")


@pytest.mark.parametrize("first, last, freq, expected", [
    ("2016-08-01", "2016-09-07", "month", [("2016-09-01", 7, 30)]),       # 7 days of September
    ("2016-08-20", "2016-09-30", "month", [("2016-08-01", 12, 31)]),      # a late first month
    ("2016-08-01", "2016-09-29", "month", []),                            # 29 of 30 days is whole
    ("2016-08-03", "2016-08-31", "week", [("2016-08-01", 5, 7), ("2016-08-29", 3, 7)]),
    ("2016-08-03", "2016-08-04", "day", []),
    ("2016-03-10", "2016-03-12", "month", [("2016-03-01", 3, 31)]),       # one period, partial
    (None, None, "month", []),
])
def test_partial_spans(first, last, freq, expected):
    got = periods.partial_spans(first, last, freq=freq)
    assert [(s.strftime("%Y-%m-%d"), c, d) for s, e, c, d in got] == expected
