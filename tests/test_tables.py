"""tables.show: the one way from a table to HTML. Whatever it formats and styles, every cell, label,
index name and caption reaches the HTML escaped; the table helpers of the analyses use it."""
from __future__ import annotations

import html as htmlmod

import numpy as np
import pandas as pd
import pytest

from newsdesk import keywords, tables, timeline

PAYLOADS = [
    '<style onload=document.title="PWNED">a{}</style>',
    "<script>window.ndpwn=1</script>",
    "<img src=x onerror=window.ndpwn=2>",
    '"><svg onload=window.ndpwn=3>',
    "</textarea></td></tr></table><b>out</b>",
    "<style>.jp-Notebook{display:none}</style>",
    "&lt;script&gt; already escaped",
    "Money $\\bad$ talk",
]


def _frame(where: str, payload: str) -> pd.DataFrame:
    df = pd.DataFrame({"title": ["ok", "fine"], "n": [1, 2], "share": [0.25, 0.5]},
                      index=pd.Index(["a", "b"], name="row"))
    if where == "cell":
        df.loc["a", "title"] = payload
    elif where == "column":
        df = df.rename(columns={"title": payload})
    elif where == "index":
        df = df.rename(index={"a": payload})
    elif where == "index name":
        df.index.name = payload
    elif where == "columns name":
        df.columns.name = payload
    elif where == "multiindex":
        df.columns = pd.MultiIndex.from_tuples([(payload, "title"), (payload, "n"), ("x", payload)], names=[payload, "k"])
    return df


WHERE = ["cell", "column", "index", "index name", "columns name", "multiindex"]
OPTIONS = [
    {},
    {"formats": "{:.1%}"},
    {"formats": {"share": "{:.0%}", "n": "{:,}"}, "right": ["title"], "index": False},
    {"index_format": str.upper, "caption": "caption"},
]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("options", OPTIONS, ids=["default", "pattern", "mapping-right-noindex", "index-format"])
def test_every_cell_and_label_is_escaped(payload, where, options):
    html = tables.show(_frame(where, payload), **options).to_html()
    if where in ("index", "index name", "columns name") and options.get("index") is False:  # not shown
        assert payload not in html
        return
    shown = payload.upper() if where == "index" and "index_format" in options else payload
    escaped = htmlmod.escape(shown, quote=True)
    assert escaped in html
    if escaped != shown:
        assert shown not in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_format_that_writes_markup_is_escaped_after_formatting(payload):
    html = tables.show(pd.DataFrame({"n": [1]}), formats=lambda v: payload, caption=payload).to_html()
    escaped = htmlmod.escape(payload, quote=True)
    assert html.count(escaped) == 2  # the cell and the caption
    assert escaped == payload or payload not in html


@pytest.mark.parametrize("value, fmt, expected", [
    (0.12345, None, "0.123"),
    (3, None, "3"),
    (pd.Timestamp("2017-05-12"), None, "2017-05-12"),
    (pd.Timestamp("2017-05-12 13:05"), None, "2017-05-12 13:05"),
    (None, None, ""),
    (float("nan"), "{:.1%}", ""),
    (0.5, "{:.0%}", "50%"),
    ("label", "{:.1%}", "label"),  # a number pattern meeting a label shows the label
    ("a", str.upper, "A"),
    (8.0, None, "8"),           # a whole float in a column of mixed values (a median among counts)
    (2.5, None, "2.500"),
    (True, None, "yes"),        # flags read as words, not Python's True/False
    (np.bool_(False), None, "no"),
])
def test_text_of(value, fmt, expected):
    assert tables.text_of(value, fmt) == expected


def test_columns_keep_one_number_of_decimals_and_the_table_its_look():
    df = pd.DataFrame({"share": [25.0, 14.7], "z": [1.0, 2.0], "label": ["a", "b"]})
    html = tables.show(df, right=["label"]).to_html()
    assert ">25.0<" in html and ">14.7<" in html and ">1<" in html
    assert f'class="{tables.TABLE_CLASS}"' in html and tables.RIGHT_CLASS in html
    assert "row_heading" not in html  # row numbers (a RangeIndex) are hidden


def test_long_tables_are_cut_and_say_so():
    html = tables.show(pd.DataFrame({"n": range(30)}), max_rows=10).to_html()
    assert html.count("<tr>") == 11
    assert "the first 10 of 30 rows" in html


def test_the_attention_table_escapes_its_terms():
    payload = PAYLOADS[0]
    t = pd.DataFrame({payload: [0.5, 0.25]}, index=pd.to_datetime(["2016-01-04", "2016-01-11"]))
    html = timeline.show_table(t, freq="week").to_html()
    assert payload not in html and htmlmod.escape(payload) in html
    assert "50.0%" in html and "2016-01-04" in html and "week starting" in html


def test_keyword_in_context_lines_are_escaped():
    lines = pd.DataFrame({"date": pd.to_datetime(["2017-05-12"]), "title": [PAYLOADS[0]], "left": [PAYLOADS[1]],
                          "match": ["flood"], "right": [PAYLOADS[2]], "article_id": ["a"], "start": [3]})
    html = keywords.show_kwic(lines).to_html()
    for p in PAYLOADS[:3]:
        assert p not in html and htmlmod.escape(p, quote=True) in html
    assert tables.RIGHT_CLASS in html


def test_the_plain_text_form_is_the_table_as_text():
    t = tables.show(pd.DataFrame({"item": ["articles", "share"], "value": [300, 0.25]}), formats={"value": "{:,.2f}"})
    assert repr(t).split() == ["item", "value", "articles", "300.00", "share", "0.25"]


# --------------------------------------------------------------------------- write_csv
def _csv_frames():
    import numpy as np

    rng = np.random.default_rng(7)
    alphabet = list("ab ,\"\n\r\t'é—") + ["\u2028", "😀"]
    texts = ["".join(rng.choice(alphabet, size=int(rng.integers(0, 12)))) for _ in range(400)]
    texts[::17] = [None] * len(texts[::17])
    dates = pd.to_datetime(["2016-01-01", None, "2017-05-12", "1818-03-04"] * 100)
    return {
        "random text, ints and dates": pd.DataFrame({"t": texts, "s": pd.Series(texts, dtype="str"),
                                                      "n": rng.integers(-10**12, 10**12, 400), "d": dates}),
        "times of day": pd.DataFrame({"d": dates + pd.to_timedelta(rng.integers(0, 86400, 400), unit="s"),
                                      "u": rng.integers(0, 9, 400).astype("uint8")}),
        "one column, empty fields": pd.DataFrame({"only": ["", None, "x", ""]}),
        "no rows": pd.DataFrame({"a": pd.Series([], dtype="str"), "n": pd.Series([], dtype="int64")}),
        "header to quote": pd.DataFrame({'a,b': ["x"], 'say "hi"': [1], "two\nlines": ["y"]}),
        "a filtered frame": pd.DataFrame({"t": texts, "n": range(400)}).iloc[::3],
        # written by pandas itself: kinds the Arrow route does not format
        "floats": pd.DataFrame({"f": [0.1, 1 / 3, None, 2.0, 1e-7]}),
        "booleans": pd.DataFrame({"b": [True, False, True]}),
        "nullable ints": pd.DataFrame({"n": pd.array([1, None, 3], dtype="Int64")}),
        "time zones": pd.DataFrame({"d": pd.to_datetime(["2016-01-01 10:00"]).tz_localize("UTC")}),
        "fractions of a second": pd.DataFrame({"d": pd.to_datetime(["2016-01-01 10:00:00.5", "2016-01-02 00:00:00.0"])}),
        "a lone surrogate": pd.DataFrame({"t": pd.Series(["ok", "bad \ud800 text"], dtype=object)}),
        "mixed objects": pd.DataFrame({"o": ["a", 1, None]}),
        "a named index": pd.DataFrame({"t": ["a", "b"]}, index=pd.Index([5, 9], name="row")),
    }


@pytest.mark.parametrize("name", list(_csv_frames()))
@pytest.mark.parametrize("chunk", [3, 200_000])
def test_write_csv_writes_the_bytes_pandas_writes(tmp_path, monkeypatch, name, chunk):
    from newsdesk import tables

    monkeypatch.setattr(tables, "CSV_CHUNK_ROWS", chunk)
    frame = _csv_frames()[name]
    try:
        frame.to_csv(tmp_path / "pandas.csv", index=False)
    except UnicodeEncodeError:              # a lone surrogate: no UTF-8 for it, either way
        with pytest.raises(UnicodeEncodeError):
            tables.write_csv(frame, tmp_path / "ours.csv")
        return
    tables.write_csv(frame, tmp_path / "ours.csv")
    assert (tmp_path / "ours.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()


@pytest.mark.parametrize("name, arrow", [("random text, ints and dates", True), ("times of day", True),
                                          ("floats", False), ("booleans", False), ("time zones", False),
                                          ("fractions of a second", False), ("mixed objects", False)])
def test_write_csv_takes_the_arrow_route_only_for_the_kinds_it_formats(tmp_path, monkeypatch, name, arrow):
    from newsdesk import tables

    frame = _csv_frames()[name]
    assert (tables._csv_kinds(frame) is not None) == arrow
    if arrow:   # and the route writes the file itself: pandas is not asked
        expected = frame.to_csv(index=False).encode("utf-8")
        monkeypatch.setattr(pd.DataFrame, "to_csv", lambda *a, **k: pytest.fail("pandas was asked"))
        tables.write_csv(frame, tmp_path / "t.csv")
        assert (tmp_path / "t.csv").read_bytes() == expected
