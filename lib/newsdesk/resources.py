"""Regexes and word lists, kept together (in the manner of textacy's ``resources``).

Each section belongs to one concern; modules import what they need from here so
that a pattern is defined once and tested once.
"""
from __future__ import annotations

import re

# --------------------------------------------------------------------------- loader
#: A header line: ``## Key: value`` (value may be empty). The key is at most 64 characters and
#: the spacing around it bounded, so a hostile 20 MB line cannot make the match quadratic.
HEADER_RE = re.compile(r"^##[ \t]{0,8}([A-Za-z][A-Za-z0-9 _-]{0,63}?)[ \t]{0,8}:[ \t]?(.*)$")
#: The line that starts an article.
TITLE_LINE_RE = re.compile(r"^##[ \t]*Title[ \t]*:", re.IGNORECASE)

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
WEEKDAYS = {
    d: i
    for i, names in enumerate(
        [("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"),
         ("thursday", "thu", "thur", "thurs"), ("friday", "fri"), ("saturday", "sat"),
         ("sunday", "sun")]
    )
    for d in names
}
#: ``Friday, May 12, 2017 - 01:00`` and its variants (weekday and time optional).
DATE_LONG_RE = re.compile(
    r"^(?:(?P<weekday>[A-Za-z]+)\.?,?\s+)?(?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4,})"
    r"(?:\s*(?:-|–|,|at)?\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?\s*$"
)
#: ``12 May 2017`` (day first), weekday and time optional.
DATE_DMY_RE = re.compile(
    r"^(?:(?P<weekday>[A-Za-z]+)\.?,?\s+)?(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)\.?,?\s+(?P<year>\d{4,})"
    r"(?:\s*(?:-|–|,|at)?\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?\s*$"
)
#: ISO 8601: ``2017-05-12``, ``2017-05-12T01:00``, ``2017-05-12 01:00:00+02:00``.
DATE_ISO_RE = re.compile(
    r"^(?P<year>\d{4,})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?\s*$"
)

#: Wire agencies known by name (matched case-insensitively); any 2-6 letter capitalised acronym
#: (``AFP``, ``AP``, ``UPI``, ``ANSA``) is accepted too.
KNOWN_AGENCIES = [
    "Reuters", "dpa", "Xinhua", "Bloomberg", "Kyodo", "Yonhap", "Tass", "Anadolu", "Interfax",
    "Associated Press", "Agence France-Presse", "Press Association", "Canadian Press", "Europa Press",
    "Australian Associated Press", "Deutsche Presse-Agentur", "Ritzau", "Belga", "Efe", "Ansa",
]
AGENCY_CANONICAL = {a.lower(): a for a in KNOWN_AGENCIES} | {"dpa": "dpa", "efe": "EFE", "ansa": "ANSA", "tass": "TASS"}
#: Wire lines that name no agency (``- NA``): the line is still not body text.
AGENCY_MISSING = {"NA", "N/A", "NONE", "TBA"}
_AGENCY = r"(?:(?-i:[A-Z][A-Z&]{1,5})|" + "|".join(a.replace(" ", r"\s+").replace("-", r"\-") for a in KNOWN_AGENCIES) + ")"
#: A closing wire line: ``- AFP``, ``- AFP/Reuters``, ``— Reuters``, ``- dpa``; matched on the last
#: non-blank line of a body. Bylines such as ``—Elise Viebeck.`` do not match.
WIRE_LINE_RE = re.compile(
    r"^(?=[^\n]{0,200}$)"  # wire lines are short; the bound keeps a hostile long line linear
    r"[ \t\u00a0]*[-–—][ \t\u00a0]*"
    rf"(?P<agency>{_AGENCY}(?:[ \t]*[/,&][ \t]*{_AGENCY})*)"
    r"[ \t\u00a0.]*$",
    re.IGNORECASE,
)

#: Characters that make a decoded file look binary rather than text.
CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: Leading bytes of common binary formats found renamed to ``.txt`` in scraped archives.
BINARY_SIGNATURES = {
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (e.g. .docx, .odt, .epub)",
    b"\x1f\x8b": "a gzip archive",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Office document (.doc/.xls)",
    b"\x7fELF": "an executable",
    b"PAR1": "a Parquet file",
    b"SQLite format 3": "an SQLite database",
}
#: A complete multi-byte UTF-8 sequence: its presence in a file that is not valid UTF-8 as a whole
#: means the file mixes encodings (decoded byte by byte: UTF-8 where valid, else cp1252).
UTF8_MULTIBYTE_RE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)

# --------------------------------------------------------------------------- text and terms
#: A word token for counting: letters/digits with inner apostrophes, hyphens or dots.
WORD_RE = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")

# --------------------------------------------------------------------------- sentences (sentiment)
# Word lists for ``newsdesk.text.split_sentences``. Entries are lower case, without the final dot.
#: Abbreviations that precede a name or number and so never end a sentence (``Mr. Smith``).
ABBREV_NEVER_FINAL = frozenset("""
mr mrs ms messrs mmes dr drs prof sen sens rep reps gov govs gen lt col sgt capt cmdr adm maj
rev fr hon pres supt atty det insp brig cpl pvt gens st ste mt ft vs v cf approx ca
e.g i.e viz
""".split())
#: Abbreviations that never end a sentence when a number follows (``Sept. 11``, ``No. 2``).
ABBREV_BEFORE_NUMBER = frozenset("""
jan feb mar apr jun jul aug sep sept oct nov dec no nos vol vols p pp art arts fig ch sec para
""".split())
#: Abbreviations that may end a sentence (``... Apple Inc. The company ...``): a boundary only
#: when a typical sentence opener (below) or an opening quote follows. Multi-dot acronyms
#: (``U.S.``, ``p.m.``) and single initials (``George W. Bush``) are treated the same way.
ABBREV_MAYBE_FINAL = frozenset("""
inc corp co cos ltd llc plc bros jr sr esq et al etc
jan feb mar apr jun jul aug sep sept oct nov dec
ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont
neb nev okla ore pa penn tenn tex vt va wash wis wisc wyo
""".split())
#: Capitalised words that typically open a sentence; after an ambiguous abbreviation they
#: signal a boundary (``in the U.S. The president ...``) where a name would not (``U.S. Army``).
SENTENCE_OPENERS = frozenset("""
a an the he she it they we i you his her its their our my your this that these those there
here but and or so yet if when while as after before since although though because however
meanwhile still also instead earlier later last next during for from with by to under among
despite according in on at of about what why how who where which until even just only such
other another each every few several many most some one two three both all no not now then
nor once more much there's it's that's he's she's they're we're i'm
""".split())
#: A multi-dot acronym before its final dot: ``U.S``, ``p.m``, ``D.C``.
ACRONYM_RE = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
#: A candidate sentence end inside a line: terminal punctuation, closing quotes/brackets, space.
SENTENCE_END_RE = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
#: The last word of a token joined by a hyphen, slash or bracket (``then-Sen`` -> ``Sen``).
TOKEN_TAIL_RE = re.compile(r"[^\W\d_][\w.]*$")
#: Opening quotes and brackets that may start a sentence.
OPENING_PUNCT = "\"'“‘«([„"
#: Characters that end a line which ends a sentence (a line ending otherwise continues on the
#: next line when that line starts in lower case, as in hard-wrapped text).
LINE_FINAL_PUNCT = ".!?…:;\"'”’»)]"

# --------------------------------------------------------------------------- timeline and keywords
#: English stop words: NLTK's ``stopwords`` corpus (English, 179 words) shipped here so that no
#: download is needed, plus words that carry no topic in news copy (reporting verbs, titles,
#: number words). Matched against lower-cased tokens with ``’`` normalised to ``'``.
STOP_WORDS_NLTK = frozenset("""
i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself yourselves
he him his himself she she's her hers herself it it's its itself they them their theirs themselves
what which who whom this that that'll these those am is are was were be been being have has had
having do does did doing a an the and but if or because as until while of at by for with about
against between into through during before after above below to from up down in out on off over
under again further then once here there when where why how all any both each few more most other
some such no nor not only own same so than too very s t can will just don don't should should've
now d ll m o re ve y ain aren aren't couldn couldn't didn didn't doesn doesn't hadn hadn't hasn
hasn't haven haven't isn isn't ma mightn mightn't mustn mustn't needn needn't shan shan't shouldn
shouldn't wasn wasn't weren weren't won won't wouldn wouldn't
""".split())
STOP_WORDS_NEWS = frozenset("""
said says say saying told tells according also would could might may must shall us one two three
four five six seven eight nine ten first last mr mrs ms dr per cent percent just like even still
yet many much well back get got go going make made way since within without around among upon
i'm i've i'd i'll we're we've we'd we'll they're they've they'd they'll he's he'd he'll she'd
she'll there's here's what's who's let's can't cannot it'd that's
""".split())
#: The stop words keyword rankings and collocations drop.
STOP_WORDS = STOP_WORDS_NLTK | STOP_WORDS_NEWS

#: Where a run of words ends for collocations: sentence punctuation followed by space, or a line
#: break. Bigrams never span one of these (nor an article boundary).
SEGMENT_BREAK_RE = re.compile(r"(?<=[.!?;:])[\"'”’)\]]*\s+|\n\s*")
#: White space runs collapsed to one space in keyword-in-context lines.
SPACE_RUN_RE = re.compile(r"\s+")
#: Possessive endings stripped from keyword tokens (``Trump's`` counts as ``trump``).
POSSESSIVE_RE = re.compile(r"['’]s$", re.IGNORECASE)
