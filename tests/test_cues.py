"""Tests for newsdesk.cues: the cue-verb regex and the speaker finders beside a quote."""
from __future__ import annotations

import pytest

from newsdesk import cues as C


@pytest.mark.parametrize("text_in, expected", [
    ("Anna Berg said it.", ["said"]),
    ("He pointed out and then told reporters.", ["pointed out", "told reporters"]),
    ("Said Tom Hill: no.", ["Said"]),
    ("The sayings unsaid.", []),                       # whole words only
])
def test_cue_verbs_are_whole_words(text_in, expected):
    assert [m.group(0) for m in C.cues(text_in, 0, len(text_in))] == expected


@pytest.mark.parametrize("text_in, expected", [
    ("“We are ready,” said Anna Berg.", ("Anna Berg", "said")),
    ("“We are ready,” Anna Berg said.", ("Anna Berg", "said")),
    ("“We are ready” — Commissioner Tom Hill", ("Commissioner Tom Hill", "—")),   # the title goes later (strip_title)
    ("“We are ready,” according to Anna Berg.", ("Anna Berg", "according to")),
    ("“We are ready.” The bus left.", None),
])
def test_find_after(text_in, expected):
    close = text_in.index("”") + 1
    got = C.find_after(text_in, close, len(text_in), text_in[close - 2] == ".")
    assert ((got[0][0], got[1]) if got else None) == expected


@pytest.mark.parametrize("text_in, expected", [
    ("Anna Berg said: “We are ready.”", ("Anna Berg", "said")),
    ("According to Anna Berg, “we are ready.”", ("Anna Berg", "according to")),
    ("The bus left at noon. “We are ready.”", None),
])
def test_find_before(text_in, expected):
    got = C.find_before(text_in, 0, text_in.index("“"))
    assert (got[0][0], got[1]) == expected if expected else got is None
