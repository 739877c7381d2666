"""Regexes and word lists, kept together (in the manner of textacy's ``resources``).

Each section belongs to one concern; modules import what they need from here so
that a pattern is defined once and tested once.
"""
from __future__ import annotations

import re

__all__ = ["HEADER_RE", "TITLE_AT_RE", "MONTHS", "WEEKDAYS", "DATE_TZ", "DATE_LONG_RE", "DATE_DMY_RE",
           "DATE_ISO_RE", "KNOWN_AGENCIES", "AGENCY_CANONICAL", "AGENCY_MISSING", "WIRE_LINE_RE",
           "CONTROL_CHARS_RE", "CONTROL_BYTES", "NOT_IN_PLAIN_TEXT_BYTES", "VCS_DIRS", "BINARY_SIGNATURES",
           "UTF8_MULTIBYTE_RE", "WORD_JOINERS", "WORD_RE", "EXOTIC_BREAKS", "ASCII_EXOTIC_BREAKS",
           "EXOTIC_LINE_BREAK_RE", "ABBREV_NEVER_FINAL", "ABBREV_BEFORE_NUMBER", "ABBREV_MAYBE_FINAL",
           "SENTENCE_OPENERS", "ACRONYM_RE", "SENTENCE_END_RE", "LINE_END_RE", "TOKEN_TAIL_RE",
           "OPENING_PUNCT", "LINE_FINAL_PUNCT", "STOP_WORDS_NLTK", "STOP_WORDS_NEWS", "STOP_WORDS",
           "SEGMENT_BREAK_RE", "SPACE_RUN_RE", "POSSESSIVE_RE", "QUOTE_MARKS", "QUOTE_MARK_RE",
           "QUOTE_OPENERS", "QUOTE_CLOSERS", "TITLE_BEFORE_WORDS", "TITLE_AUTHOR_WORDS", "APOSTROPHE_QUOTE_RE", "QUOTE_OPEN_AFTER", "SPEECH_VERBS",
           "CORE_SPEECH_VERBS", "SENTENCE_INTRO_WORDS", "AUXILIARY_WORDS", "IRREGULAR_PAST_VERBS", "DATELINE_RE", "DEMONYM_ADJECTIVES", "PRONOUN_CONTRACTION_RE", "HEADLINE_KICKERS", "CUE_ADVERBS",
           "SPEAKER_BOUNDARY_WORDS", "SPEAKER_PRONOUNS", "TITLES", "MALE_HONORIFICS", "FEMALE_HONORIFICS",
           "MALE_FIRST_NAMES", "FEMALE_FIRST_NAMES", "FIRST_NAMES", "ORG_WORDS", "NOT_NAME_WORDS",
           "GROUP_NOUNS", "MID_SENTENCE_CAPITAL_BEFORE", "FUNCTION_WORDS", "PLACE_NAMES", "BUILDING_WORDS", "NUMBER_WORDS",
           "CAPITALISED_RUN", "SPEAKER_MAX_WORDS", "REPORT_NOTEBOOK_RE",
           "REPORT_RANGE_RE", "REPORT_CHOICES_RE", "REPORT_KNOWN_CHOICES", "REPORT_COUNT_PARAM_RE",
           "REPORT_DATE_PARAM_RE", "REPORT_DATE_VALUE_RE", "REPORT_COLUMN_PARAM_RE",
           "REPORT_NOT_GROUPABLE", "REPORT_EVENT_PARAMS", "REPORT_DATE_PAIRS", "REPORT_TERM_PARAMS",
           "REPORT_PATH_DEFAULT_RE", "REPORT_SECTION_PARAMS", "REPORT_SUMMARY_MAX", "REPORT_THUMB_WIDTH",
           "REPORT_ALLOWED_TAGS", "REPORT_CSP", "REPORT_ANSI_SGR_RE", "REPORT_PAPERMILL_ERROR_TAG",
           "REPORT_DROPPED_MIMETYPES", "REPORT_EXTERNAL_REF_RE", "TONE_TOKEN_RE", "TONE_CLAUSE_MARKS",
           "TONE_CLAUSE_WORDS", "TONE_NEGATIONS", "TONE_SCOPE_END", "TONE_SPEECH_WORDS",
           "QUOTE_PAIRS", "SPEAKER_DESCRIPTION_OPENERS", "SPEAKER_CUT_WORDS", "CONTRACTION_END_RE",
           "TITLE_SMALL_WORDS", "TONE_WORD_RE"]

# --------------------------------------------------------------------------- loader
#: A header line: ``## Key: value`` (value may be empty). The key is at most 64 characters and
#: the spacing around it bounded, so a hostile 20 MB line cannot make the match quadratic.
HEADER_RE = re.compile(r"^##[ \t]{0,8}([A-Za-z][A-Za-z0-9 _-]{0,63}?)[ \t]{0,8}:[ \t]?(.*)$")
#: The line that starts an article.
TITLE_AT_RE = re.compile(r"##[ \t]*Title[ \t]*:", re.IGNORECASE)

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
DATE_TZ = r"(?:\s*(?P<tz>Z|UTC|GMT|(?:UTC|GMT)?[+-]\d{1,2}(?::?\d{2})?))?"
"""A UTC offset after a time (``+14:00``, ``-0500``, ``Z``, ``UTC``, ``GMT+2``): dates that have one
are converted to UTC (``parse.parse_date``)."""
DATE_LONG_RE = re.compile(
    r"^(?:(?P<weekday>[A-Za-z]+)\.?,?\s+)?(?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4,})"
    r"(?:\s*(?:-|–|,|at)?\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?" + DATE_TZ + r")?\s*$"
)
#: ``12 May 2017`` (day first), weekday and time optional.
DATE_DMY_RE = re.compile(
    r"^(?:(?P<weekday>[A-Za-z]+)\.?,?\s+)?(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)\.?,?\s+(?P<year>\d{4,})"
    r"(?:\s*(?:-|–|,|at)?\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?" + DATE_TZ + r")?\s*$"
)
#: ISO 8601: ``2017-05-12``, ``2017-05-12T01:00``, ``2017-05-12 01:00:00+02:00``.
DATE_ISO_RE = re.compile(
    r"^(?P<year>\d{4,})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?" + DATE_TZ + r")?\s*$"
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
#: The same characters as bytes (they are single bytes in UTF-8 and never inside a longer sequence).
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0b, *range(0x0e, 0x20), 0x7f])
#: Bytes that send a file off the loader's fast decoding route: control characters, NUL, CR.
NOT_IN_PLAIN_TEXT_BYTES = CONTROL_BYTES + b"\r"
#: Version-control folders: never article inputs, skipped without a reject row. Other hidden
#: folders and files (``.ipynb_checkpoints``, macOS ``._*``) are skipped and listed as rejects.
VCS_DIRS = frozenset({".git", ".hg", ".svn", ".bzr"})
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
#: Characters that join two runs of letters/digits into one word (``well-known``, ``Lavrov's``).
WORD_JOINERS = "'’.-"
#: A word token for counting: letters/digits with inner apostrophes, hyphens or dots.
WORD_RE = re.compile(rf"[^\W_]+(?:[{re.escape(WORD_JOINERS)}][^\W_]+)*")
#: Line breaks that ``str.splitlines`` knows besides ``\n`` (the loader turns ``\r`` into ``\n``).
EXOTIC_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
ASCII_EXOTIC_BREAKS = "".join(c for c in EXOTIC_BREAKS if c.isascii())
EXOTIC_LINE_BREAK_RE = re.compile(f"[{EXOTIC_BREAKS}]")

# --------------------------------------------------------------------------- sentences (tone and quotes)
# Word lists for ``newsdesk.text.sentence_breaks``, the one sentence rule (tone's ``split_sentences``,
# quotes' sentence spans, ``text.is_abbreviation``). Entries are lower case, without the final dot.
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
#: A candidate sentence end inside a line: terminal punctuation (group 1), closing quotes or
#: brackets, then white space within the line (group 2) before more text.
SENTENCE_END_RE = re.compile(r"([.!?…]+)[\"'”’»)\]]*([^\S\n]+)(?=\S)")
#: A line end and the white space after it (blank lines included).
LINE_END_RE = re.compile(r"\n\s*")
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
#: Possessive endings stripped from keyword tokens (``Trump's`` counts as ``trump``), applied to
#: lower-cased text with ``’`` already normalised to ``'``: ``'s`` after a letter or digit and before
#: none. (Written with the literal first and the look-behind after it, which ``re`` searches about
#: ten times faster than ``(?<=[^\W_])'s(?![^\W_])``, the same matches.)
POSSESSIVE_RE = re.compile(r"'s(?<=[^\W_]'s)(?![^\W_])")

# --------------------------------------------------------------------------- quotes and speakers
# Used by newsdesk.quotes and newsdesk.mentions. Every list is matched case-sensitively where capitals matter
# (names, titles) and lower-cased otherwise.

#: The double quote marks news archives use, as ``(opening, closing)`` pairs: curly, straight,
#: low-9 and high-reversed-9 (closed by a curly mark), guillemets, and the two apostrophes of the
#: New York Times archive and LDC-style corpora (``''We will win,'' she said.``). The one place
#: quote marks are defined: the sets below are derived from it. ``‘ ’`` are nested quotes, not
#: pairs. A mark that both opens and closes (``"``) is paired by the spaces around it.
QUOTE_PAIRS = (("“", "”"), ('"', '"'), ("„", "”"), ("‟", "”"), ("«", "»"), ("''", "''"))
#: The one-character marks of :data:`QUOTE_PAIRS`, and those that only open or only close.
QUOTE_MARKS = "".join(dict.fromkeys(m for pair in QUOTE_PAIRS for m in pair if len(m) == 1))
QUOTE_MARK_RE = re.compile("[" + re.escape(QUOTE_MARKS) + "]")
QUOTE_OPENERS = frozenset(o for o, c in QUOTE_PAIRS if len(o) == 1 and o != c)
QUOTE_CLOSERS = frozenset(c for o, c in QUOTE_PAIRS if len(c) == 1 and o != c) - QUOTE_OPENERS
#: The two-apostrophe pair of :data:`QUOTE_PAIRS` (a run of three is one of them beside a nested
#: single quote: ``''He said, 'No.'''``). ``quotes.normalize_quote_marks`` reads each as the
#: first (curly) pair.
APOSTROPHE_QUOTE_RE = re.compile(r"(?<!')" + next(o for o, _ in QUOTE_PAIRS if len(o) == 2) + r"'?(?!')")
#: What may stand right before an opening mark, besides white space and the start of the text.
QUOTE_OPEN_AFTER = "([{—–-/‘'…:"
#: Words that open a description rather than a name (``a senior official``, ``his spokesman``).
SPEAKER_DESCRIPTION_OPENERS = frozenset({"a", "an", "the", "one", "another", "some", "two", "three", "several", "many",
                                         "his", "her", "their", "its", "our", "other", "both", "most", "senior", "former"})
#: Words that end a speaker phrase (``Trump on Tuesday``, ``Clinton in Iowa``).
SPEAKER_CUT_WORDS = frozenset({"on", "in", "at", "during", "after", "before", "from", "last", "this", "earlier",
                               "late", "early", "via", "through", "over", "to", "with", "by"})
#: A contraction or possessive ending a word (``he's``, ``they'd``).
CONTRACTION_END_RE = re.compile(r"[’'](?:s|re|d|ll|ve)$")
#: A pronoun with a contracted verb (``I'm``, ``She's``): no name.
PRONOUN_CONTRACTION_RE = re.compile(r"(?i)(?:i|he|she|we|they|you|it)[’'](?:m|s|re|d|ll|ve)")

#: Words a title leaves in lower case (``Face the Nation``, ``Meet the Press``).
TITLE_SMALL_WORDS = frozenset("a an the of and or in on at to for with by from is my your our de".split())
#: Words right before a title-case quote that make it a programme or publication title
#: (``on “Meet the Press”``, ``his book, “An American Son”``).
TITLE_BEFORE_WORDS = frozenset("""
on book memoir memoirs podcast show program programme film movie documentary novel series album song
told with play musical sitcom episode autobiography biography revival sequel reboot remake
anthem classic drama comedy thriller opera poem hymn ballad franchise
""".split())
#: Who wrote a title: ``the author of “Hard Choices”``.
TITLE_AUTHOR_WORDS = frozenset("""author authors co-author co-authors editor editors co-editor host hosts co-host star stars
creator anchor tune cast screening premiere finale chapter""".split())
#: Speech and attribution verbs (the *cue*), in the forms news prose uses. Multi-word cues first.
SPEECH_VERBS = """
pointed out|went on|shot back|fired back|added that|wrote that|said that|told reporters
said|says|saying|told|tells|added|adds|adding|wrote|writes|asked|asks
explained|explains|noted|stated|declared|declares|continued|continues|argued|argues
insisted|insists|claimed|warned|warns|replied|replies|responded|responds|recalled|recalls
tweeted|tweets|posted|remarked|acknowledged|acknowledges|admitted|admits|announced
announces|observed|observes|joked|jokes|quipped|quips|shouted|shouts|yelled|yells|cried
complained|complains|lamented|laments|conceded|concedes|suggested|suggests|predicted|predicts
promised|vowed|vows|concluded|concludes|countered|counters|retorted|retorts|mused|muses
urged|urges|testified|testifies|reported|reiterated|reiterates|emphasized|emphasizes
stressed|stresses|contended|contends|maintained|maintains|recounted|recounts|confirmed|confirms
denied|denies|boasted|boasts|bragged|brags|charged|alleged|alleges|asserted|asserts
whispered|whispers|screamed|screams|chanted
opined|opines|cautioned|cautions|predicted|agreed|agrees|disagreed|objected|protested|pleaded
demanded|proclaimed|proclaims|thundered|snapped|sniped|scoffed|riffed|wondered|wonders
told|informed|assured|reminded|advised|interjected|interrupted|answered|describes|described
called|dubbed|dubs|labeled|labelled|characterized|characterised|branded
termed|decried|decries|blasted|blasts|slammed|slams|praised|praises|hailed|hails|touted|touts
criticized|criticised|criticizes|accused|accuses|attacked|denounced|denounces|mocked|mocks
thanked|pledged|pledges|vowed|cited|quoted|wrote|writes|explained|adds
calls|referred to|refers to|talked about|talks about|defended|defends|described as
notes|cites|yelling|telling|writing|noting|asking|arguing|explaining|tweeting|declaring|responding
insisting|calling|warning|describing|claiming|complaining|joking|urging|vowing|promising|predicting
reacted|commented|comments|commenting|exclaimed|marveled|marvelled|cracked|scoffed|sighed|laughed
say|argue|insist|warn|claims|contend|complain|predict|conclude|put it|puts it|written|fumed|fumes|surmised
barked|griped|grumbled|gushed|raved|deadpanned|beamed|sniffed|seethed|bristled|exulted|fretted
reads|read
recommended|recommends|exhorted
"""
SPEECH_VERBS = list(dict.fromkeys(v.strip() for line in SPEECH_VERBS.strip().splitlines() for v in line.split("|")))
#: Cues that say the quote *is* speech (``said``, ``told``) rather than a verb that may frame a
#: partial quote (``called the deal "a disaster"``). Only these attribute a quote by themselves
#: when they are not right next to it.
CORE_SPEECH_VERBS = frozenset("""
said says say saying told tells added adds adding wrote writes asked asks explained explains
noted notes stated states declared continued argued argues insisted insists claimed claims warned
warns replied responded recalled tweeted tweets posted remarked acknowledged admitted announced
observed joked quipped shouted yelled conceded suggested predicted promised vowed concluded countered
retorted mused urged testified reported reports reiterated emphasized stressed contended maintained
recounted confirmed boasted bragged charged alleged asserted cautioned agreed pleaded demanded
proclaimed thundered snapped scoffed riffed wondered interjected answered
""".split())
#: Words that open a sentence before its subject: ``On Tuesday, Trump called ...``.
SENTENCE_INTRO_WORDS = frozenset("""
In On At During After Before When While Since Last Earlier Later But And Still However Meanwhile
Also Then Yet So Now Asked Speaking Writing Instead Indeed Today Yesterday Separately Similarly
Like Unlike As With For Despite Although Though If Because Under Over Through By From Following Amid
Once Thus Across Within Ever Perhaps Hence Therefore Moreover Nevertheless Nonetheless Otherwise
Throughout Toward Towards Upon Amidst Among Amongst Beyond Inside Outside Regarding Until Whenever
Whereas Besides Anyway Afterward Afterwards Soon Often Always Almost Already Rather Actually Finally
Initially Ultimately Repeatedly Eventually Domestically Hastily Increasingly Recently Previously
""".split())
#: A wire dateline opening a story's first sentence: ``RENO, Nev. (AP) — ``, ``Washington (AFP) - ``.
#: (A sentence may start at its agency when the place ends in an abbreviation: ``Nev.``.)
#: A place in capitals needs no agency: ``LA CROSSE, Wisc. — ``, ``TALLAHASSEE — ``.
DATELINE_RE = re.compile(r"(?:(?:[A-Z][\w.’' ,-]{1,40})?\((?:AP|AFP|Reuters|UPI|dpa|CNN)\)"
                         r"|[A-Z][A-Z.’' -]+[A-Z.](?:,\s*[A-Z][A-Za-z.]{1,6})?)\s*(?:—|–|--| - )\s*")
#: Lower-case words that follow a sentence subject (auxiliaries): ``Trump has called ...``.
AUXILIARY_WORDS = frozenset("""
has have had is was are were will would can could should may might did does do also then once
""".split())
#: Common irregular past tenses: the verb ending a sentence's subject when it does not end in
#: ``-ed`` (``The president left no doubt …, saying that “…”``).
IRREGULAR_PAST_VERBS = frozenset("""
began became brought built came chose drew drove fell felt fought found gave got grew heard held hit
kept knew laid led left lost made meant met paid put ran rang rose sang sat saw sent set shot sold
sought spent spoke stood struck swore took taught thought threw told understood went withdrew won wore
wrote bought caught broke fled froze hung oversaw shook slept spun stole stuck swept upheld woke
""".split())
#: Words that may sit between a speaker and the cue: ``Trump also said``, ``she has said``.
CUE_ADVERBS = frozenset("""
also later then once previously recently reportedly often repeatedly has have had would will
just further again simply even never still had already since had earlier quickly flatly bluntly
""".split())
#: Words that end a speaker phrase when reading back from the cue (a clause starts there).
SPEAKER_BOUNDARY_WORDS = frozenset("""
that and but when as which who whom because while after before if where than so or though
although since until unless whether what how why said says told added is was are were be been
whose to for with without about against into not nor yet by
""".split())
#: Subject pronouns that can name a speaker, with their kind.
SPEAKER_PRONOUNS = {"he": "male", "she": "female", "they": "plural", "it": "organisation",
                    "i": "self", "we": "self", "you": "self"}
#: Titles and honorifics stripped from names (``President Donald Trump`` -> ``Donald Trump``).
#: Multi-word titles first; matched case-sensitively at the start of a name.
TITLES = """
Vice President|Secretary of State|Attorney General|Chief Justice|Prime Minister|Foreign Minister
Defense Secretary|Press Secretary|House Speaker|Majority Leader|Minority Leader|Supreme Leader
Lt. Gov.|Lt. Governor|Lieutenant Governor|State Sen.|State Rep.|Former President|First Lady
President|Pres.|Vice|Senator|Sen.|Sens.|Representative|Rep.|Reps.|Congressman|Congresswoman
Governor|Gov.|Mayor|Secretary|Sec.|Judge|Justice|General|Gen.|Lt.|Col.|Maj.|Capt.|Sgt.|Adm.|Cmdr.
Dr.|Dr|Mr.|Mr|Mrs.|Mrs|Ms.|Ms|Miss|Mx.|Prof.|Professor|Rev.|Reverend|Pastor|Father|Pope|King|Queen
Prince|Princess|Sir|Dame|Lord|Lady|Chairman|Chairwoman|Chair|Speaker|Leader|Minister|Chancellor
Ambassador|Amb.|Commissioner|Director|Chief|Sheriff|Deputy|Del.|Atty.|Supt.|Former|former|Candidate
Nominee|Democrat|Democratic|Republican|GOP|Independent|Libertarian|Presidential|Commander|Officer
Detective|Det.|Trooper|Councilman|Councilwoman|Alderman|Assemblyman|Assemblywoman|Delegate|Sheikh|Rabbi
Imam|Cardinal|Bishop|Archbishop|Dean|Coach|Principal|Senior|Spokesman|Spokeswoman|Spokesperson
Astronomer|Economist|Analyst|Historian|Scientist|Researcher|Epidemiologist|Doctor|Nurse|Lawyer
Attorney|Activist|Author|Writer|Officer|Manager|Engineer|Teacher|Farmer|Pilot|Captain|CEO|Executive
Strategist|Pollster|Adviser|Advisor|Aide|Correspondent|Reporter|Columnist|Anchor|Host|Editor|Founder
President-elect|Chief Executive|Police Chief|Fire Chief|Health Minister|Finance Minister|Interior Minister
Novelist|Poet|Artist|Singer|Actor|Actress|Filmmaker|Composer|Architect|Designer|Chef|Athlete|Player
Striker|Goalkeeper|Midfielder|Defender|Winger|Manager|Referee|Skipper
"""
TITLES = sorted({t.strip() for line in TITLES.strip().splitlines() for t in line.split("|")}, key=lambda t: (-len(t), t))
#: Honorifics that tell a person's gender.
MALE_HONORIFICS = frozenset({"Mr.", "Mr", "Sir", "Lord", "King", "Prince", "Father", "Congressman",
                             "Councilman", "Assemblyman", "Chairman"})
FEMALE_HONORIFICS = frozenset({"Mrs.", "Mrs", "Ms.", "Ms", "Miss", "Dame", "Lady", "Queen", "Princess",
                               "Congresswoman", "Councilwoman", "Assemblywoman", "Chairwoman", "First Lady"})
#: Common first names by gender (for resolving ``he``/``she``; unknown names fit either).
MALE_FIRST_NAMES = frozenset("""
Aaron Adam Alan Albert Alex Alexander Andrew Anthony Antonio Ari Arnold Ben Benjamin Bernie Bill
Billy Bob Bobby Brad Bradley Brian Bruce Bryan Carl Carlos Charles Charlie Chris Christopher Chuck
Cory Dan Daniel Darrell Dave David Dennis Dick Don Donald Doug Douglas Ed Eddie Edward Eric Frank
Fred Gary Geoffrey George Gerald Greg Gregory Harry Henry Howard Jack Jacob James Jason Jeb Jeff
Jeffrey Jerry Jesse Jim Jimmy Joe John Johnny Jon Jonathan Jose Joseph Josh Joshua Juan Justin Keith
Ken Kenneth Kevin Larry Lindsey Louis Marco Mark Martin Matt Matthew Michael Mike Mitch Mitt
Newt Nick Norman Patrick Paul Pete Peter Phil Philip Ralph Rand Randy Ray Reince Richard Rick Rob
Robert Roger Ron Ronald Roy Rudy Rush Russell Ryan Sam Samuel Scott Sean Sergei Stephen Steve Steven
Ted Terry Thomas Tim Timothy Tom Tony Vladimir Walter Wayne William Willie Barack Bernard Corey
Chad Colin Dick Eli Elijah Ethan Evan Franklin Glenn Hank Ian Isaac Jake Jared Jay Joel Kyle
Lee Leon Luke Marcus Mario Max Nathan Neil Noah Oliver Omar Oscar Reid Rex Rod Ross Seth Shawn
Stanley Stuart Todd Travis Trey Tyler Vincent Warren Xavier Zach Ahmed Mohammed Muhammad Boris Emmanuel
Francois Angelo Giuseppe Hans Jean-Claude Jens Karl Klaus Recep Xi Shinzo Benjamin Bashar Hassan
""".split())
FEMALE_FIRST_NAMES = frozenset("""
Abby Alice Alison Allison Amanda Amy Andrea Angela Ann Anna Anne Barbara Betty Beverly Brenda
Carly Carol Caroline Catherine Cathy Cheryl Christine Claire Cynthia Dana Deborah Debbie Debra Diana
Diane Donna Doris Dorothy Elizabeth Ellen Emily Emma Eva Evelyn Frances Gloria Grace Hannah Heather
Helen Hillary Holly Hope Huma Irene Ivanka Jackie Jacqueline Jane Janet Janice Jean Jennifer Jessica
Jill Joan Joanne Joyce Judith Judy Julia Julie Karen Kate Katherine Kathleen Kathy Kay Kayleigh
Kelly Kellyanne Kim Kimberly Laura Lauren Linda Lisa Lois Loretta Lori Louise Madeleine Marcia
Margaret Maria Marie Marilyn Martha Mary Maureen Megan Megyn Melania Melissa Michelle Nancy Nicole
Nikki Olivia Pam Pamela Patricia Paula Peggy Rachel Rebecca Rose Ruth Samantha Sandra Sara Sarah
Sharon Shirley Stephanie Susan Suzanne Teresa Theresa Tiffany Tulsi Valerie Victoria Virginia Wendy
Amber Ana Angelina Ashley Brittany Chelsea Christina Condoleezza Debbie Dolores Elena Elise Eleanor
Erin Hope Jeanne Joni Kamala Katie Kirsten Kristen Leah Lucy Mia Mika Natalie Nina Rosa Sally Sheila
Sonia Sophie Stacey Tammy Tina Tracy Vanessa Yvonne Zoe Angela Theresa Marine Federica Christiane
""".split())
#: Either list: a first name of either gender.
FIRST_NAMES = MALE_FIRST_NAMES | FEMALE_FIRST_NAMES
#: Words in a capitalised phrase that make it an organisation rather than a person.
ORG_WORDS = frozenset("""
House Department Ministry Committee Campaign Team Party Council Association Institute University College
Times Post News Journal Network Agency Bureau Office Court Congress Senate Pentagon Kremlin
Commission Foundation Center Centre Group Inc Inc. Corp Corp. Company Fund Union Administration
Federation Organization Organisation Service Services PAC Reuters Press Police Army Navy Force
Bank Board Institute Caucus Coalition Alliance Project Club League Society Trust Tribune Herald
Telegraph Guardian Gazette Magazine Daily Review Channel Radio Television TV Media Studio Studios
Embassy Government Parliament Assembly Cabinet Council Hospital School Church Authority Reserve
Initiative Watch Forum Airlines Motors Labs Lab Partners Capital Holdings Industries Institution
Democrats Republicans Fed Treasury Chamber Legislature Foundation Politico Breitbart BuzzFeed
""".split())
#: Capitalised words that are never (part of) a speaker's name.
NOT_NAME_WORDS = frozenset("""
The A An This That These Those It He She They We I You His Her Their Our My Its But And Or So If
When While As After Before Since In On At By For From With Without About Of To Yet Still Then Now
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
August September October November December Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sept. Sep. Oct. Nov.
Dec. Today Tonight Yesterday Tomorrow Last Next Earlier Later However Meanwhile Still Also Asked
Speaking Writing According Like Unlike Both Some Many Most All Any No Not One Two Three Another
Here There What Who Why How Where Which Instead Indeed Even Just Only Yes Well Oh Much Every Each
Such Few Several Other Others Nobody Everyone Everybody Someone Nothing
""".split())
#: Plural nouns that open sentences capitalised but name a group, not a person: ``Critics said``.
GROUP_NOUNS = frozenset("""
Critics Officials Analysts Experts Observers Residents Voters Supporters Opponents Protesters Doctors
Nurses Scientists Economists Researchers Police Witnesses Lawmakers Aides Sources Leaders Investors
Traders Workers Families Parents Teachers Students Farmers Engineers Organisers Organizers Volunteers
Locals Activists Diplomats Prosecutors Investigators Authorities Officers Employees Staff Patients
Fans Viewers Readers Participants Delegates Members Advocates Conservatives Liberals Progressives
Pollsters Strategists Commentators Reporters Journalists Neighbors Neighbours Shoppers Drivers Pilots
""".split())
#: A capitalised word right after this is inside a sentence, so its capital is its own:
#: ``said Miller``, ``Mr. Miller``. A name word is seen so in its article at least once
#: (``mentions.article_words``), which tells names from sentence openers (``Hastily``, ``Despite``).
MID_SENTENCE_CAPITAL_BEFORE = r"(?:[a-z0-9,;:)%]|\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|St|Prof|Rev)\.)[ \t\u00a0]+"
#: English function words (prepositions, conjunctions, determiners, sentence adverbs): never the
#: first word of a name, though a sentence may open with one before a name (``Despite Santilli``).
FUNCTION_WORDS = frozenset("""
a about above across after afterward against ahead albeit all almost along already also although
always amid amidst among amongst an and another any anyway around as at back because before behind
below beneath beside besides between beyond both but by despite down during each either else even
ever every except few for from further hence here how however if in including inside instead into
just lest like many maybe meanwhile more moreover most much neither never nevertheless next no nor
not now of off often on once only onto or other otherwise out outside over past per perhaps plus
rather regarding since so some soon still such than that the then there thereafter therefore these
thus though through throughout till to together too toward towards under underneath unless unlike
until up upon very via what whatever when whenever where whereas whether which while who whom whose
why with within without yet
""".split())
#: Places that open sentences as if they spoke (``Massachusetts``, ``United States``): never a
#: speaker on their own. US states and a few country names; a place's government speaks through
#: its organisations (``the State Department``, ``the Kremlin``).
PLACE_NAMES = frozenset("""
Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho
Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota
Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina
North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas
Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|United States|America|United Kingdom
Britain|England|Europe|Asia|Africa|China|Russia|Iran|Iraq|Syria|Israel|Mexico|Canada|Germany|France
Japan|India|Pakistan|Afghanistan|Turkey|Egypt|Saudi Arabia|North Korea|South Korea|Korea|Ukraine
Italy|Spain|Brazil|Australia|Cuba|Venezuela|Libya|Yemen|Lebanon|Greece|Poland|Taiwan
""".replace("\n", "|").split("|"))
#: Last words of a building's or venue's name (``Trump Tower``, ``Madison Square Garden`` is not
#: one: only these words): a place, never a speaker on its own (``an operative inside Trump Tower said``).
BUILDING_WORDS = frozenset("Tower Towers Plaza Stadium Arena Airport Mall".split())
#: Nationality and regional adjectives: a speaker phrase ending in one (``Mexican``, ``Latin
#: American``) is an adjective left from a longer phrase, not someone (``Mexicans`` may be).
DEMONYM_ADJECTIVES = frozenset("""
American Latin-American Mexican Canadian British English European Asian African Chinese Russian
Iranian Iraqi Syrian Israeli Palestinian German French Japanese Indian Pakistani Afghan Turkish
Egyptian Saudi Korean Ukrainian Italian Spanish Brazilian Australian Cuban Venezuelan Libyan Yemeni
Lebanese Greek Polish Taiwanese Hispanic Latino Latina Arab Muslim Christian Jewish Catholic
Southern Northern Western Eastern Midwestern
""".split())
#: Headline kickers before a colon, which name no speaker: ``The Latest: Sanders declares ‘revolution’``.
HEADLINE_KICKERS = frozenset("""The Latest|Report|Reports|Exclusive|Exclusive Excerpt|Watch|Breaking|Breaking News|Analysis
Opinion|Editorial|Poll|Video|Live|Update|Updated|Fact Check|Review|Interview|Q&A|Explainer|Photos|Listen
""".replace("\n", "|").split("|"))
#: Number words, which open sentences (``Four said``) but name no one.
NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten dozens hundreds thousands millions".split())
#: A run of capitalised words, connectors allowed inside (``Donald Trump``, ``Bank of America``,
#: ``FBI``, ``U.S.``): a candidate name for ``entities``.
CAPITALISED_RUN = (r"(?<![\w’'])(?:[A-Z][\w’'\-]*[\w]|[A-Z]\.(?:[A-Z]\.)*|[A-Z])"
                   r"(?:[ \u00a0]+(?:(?:of|de|del|da|van|von|der|la|bin|al|the)[ \u00a0]+)?"
                   r"(?:[A-Z][\w’'\-]*[\w]|[A-Z]\.(?:[A-Z]\.)*))*")
#: Longest speaker name, in words, after titles are dropped; longer runs are headlines or datelines.
SPEAKER_MAX_WORDS = 5

# --------------------------------------------------------------------------- report runner
#: A report notebook's file name: ``NN-name.ipynb``.
REPORT_NOTEBOOK_RE = re.compile(r"^\d{2}-[\w-]+\.ipynb$")
#: Bounds in a parameter comment: ``[1..50]``, ``[0..]``, ``[>=1]``, ``[<=100]``.
REPORT_RANGE_RE = re.compile(
    r"\[\s*(?:(?P<lo>-?\d+(?:\.\d+)?)?\s*\.\.\s*(?P<hi>-?\d+(?:\.\d+)?)?"
    r"|>=\s*(?P<ge>-?\d+(?:\.\d+)?)|<=\s*(?P<le>-?\d+(?:\.\d+)?))\s*\]"
)
#: Choices in a parameter comment: ``{day, week, month}``.
REPORT_CHOICES_RE = re.compile(r"\{\s*([^{}]+,[^{}]+)\}")
#: Choices of well-known parameters whose comment does not list them.
REPORT_KNOWN_CHOICES = {"freq": ("auto", "day", "week", "month", "quarter", "year")}
#: Number parameters that count things (``top_n``, ``n_terms``, ``window``): at least 1 when the
#: default is; any other number whose default is >= 0 must be >= 0.
REPORT_COUNT_PARAM_RE = re.compile(r"^(?:top(?:_?n)?|n|n_\w+|\w+_n|limit|window\w*|max_\w+|\w+_top)$")
#: Parameters holding dates (their string values must be ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``).
REPORT_DATE_PARAM_RE = re.compile(r"(?:^|_)date(?:_|$)|(?:^|_)(?:since|until|start|end|from|to|day)$")
REPORT_DATE_VALUE_RE = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?)?)?$")
#: Parameters naming an article column (``compare_by``): checked against the corpus's columns.
REPORT_COLUMN_PARAM_RE = re.compile(r"^(?:by|\w+_by|column|\w+_column)$")
#: Article columns a column parameter may not name (per-article text and internals).
REPORT_NOT_GROUPABLE = ("body", "text_offset", "text_length", "content_hash", "article_id")
#: Parameters holding events (a CSV path or "YYYY-MM-DD label" strings), read before anything runs.
REPORT_EVENT_PARAMS = ("events",)
#: Pairs that must be in order (besides any ``X_from``/``X_to``).
REPORT_DATE_PAIRS = [("start_date", "end_date"), ("start", "end"), ("since", "until")]
#: Parameters holding search terms, checked with ``newsdesk.text.parse_terms`` before anything runs.
REPORT_TERM_PARAMS = ("term", "terms")
#: A parameter whose default looks like a file path: a value the user gives that exists relative
#: to their working folder is passed on as an absolute path (the notebooks run in notebooks/).
REPORT_PATH_DEFAULT_RE = re.compile(r"[/\\]|\.(?:csv|tsv|txt|json|jsonl|ya?ml|parquet)$", re.IGNORECASE)
#: Parameters naming sections, checked against the corpus before anything runs.
REPORT_SECTION_PARAMS = ("section", "sections")
REPORT_SUMMARY_MAX = 200
REPORT_THUMB_WIDTH = 480
#: HTML a cell output may keep in a report (everything else is escaped as text). No ``img``: charts
#: come as ``image/png`` outputs; an ``<img>`` inside HTML output is shown as text.
REPORT_ALLOWED_TAGS = [
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
    "div", "span", "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "b", "i", "em", "strong", "u", "s", "small", "sub", "sup", "code", "pre", "blockquote", "a",
    "figure", "figcaption", "abbr", "mark", "details", "summary",
]
#: The Content-Security-Policy of every page (report and index) before its style and script hashes:
#: nothing from the network, images only as ``data:`` URIs, no ``<base>``, no form submission.
#: ``style-src``/``script-src`` list only the hashes of the page template's own blocks
#: (``render.TemplateBlocks.csp``); without them, styles and scripts fall to ``default-src 'none'``.
REPORT_CSP = ("default-src 'none'", "img-src data:", "base-uri 'none'", "form-action 'none'")
#: An ANSI "select graphic rendition" sequence (colours in tracebacks and streams): ``ESC[1;31m``.
REPORT_ANSI_SGR_RE = re.compile(r"\x1b\[([0-9;]*)m")
#: The tag of the notes papermill adds around the cell that failed.
REPORT_PAPERMILL_ERROR_TAG = "papermill-error-cell-tag"
#: Output types a static, offline report never renders.
REPORT_DROPPED_MIMETYPES = {
    "application/javascript", "text/javascript", "application/vnd.jupyter.widget-view+json",
    "application/vnd.jupyter.widget-state+json", "application/vnd.bokehjs_load.v0+json",
    "application/vnd.bokehjs_exec.v0+json", "application/vnd.plotly.v1+json",
}
#: A reference that would make a page fetch something from the network.
REPORT_EXTERNAL_REF_RE = re.compile(
    r"<(?:script|img|iframe|link|source|video|audio|embed|object|input)\b[^>]*?\b(?:src|href|data)\s*=\s*[\"']?\s*"
    r"(?:https?:)?//[^\s\"'>]*"
    r"|url\(\s*[\"']?\s*(?:https?:)?//[^)\s]*|@import\s+[\"']?(?:https?:)?//[^\s;]*"
    r"|import\(\s*[\"'](?:https?:)?//[^\"']*",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------- tone toward a target
# Used by newsdesk.tonemodel (features of the words around a named target).

#: Tokens of the tone model: words (with inner apostrophes, dots, hyphens) and single punctuation marks.
TONE_TOKEN_RE = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*|[^\w\s]")
#: Marks that end a clause for the tone model (the clause around the target is scored on its own).
TONE_CLAUSE_MARKS = frozenset(",;:()[]—–\"“”„‟«»")
#: Words that start a new clause: the clause around the target stops before them.
TONE_CLAUSE_WORDS = frozenset("but while although though whereas however yet because after before since unless".split())
#: Words that open a negation scope; it runs to the next punctuation mark (the words in it get a
#: ``neg`` feature of their own). VADER's negations plus ``no`` and contracted ``n't``.
TONE_NEGATIONS = frozenset("""
not no never nor none nothing nobody nowhere neither without cannot n't
aint arent cant couldnt didnt doesnt dont hadnt hasnt havent isnt mightnt mustnt neednt shant
shouldnt wasnt werent wont wouldnt ain't aren't can't couldn't didn't doesn't don't hadn't hasn't
haven't isn't mightn't mustn't needn't shan't shouldn't wasn't weren't won't wouldn't
""".split())
#: Punctuation that closes a negation scope.
TONE_SCOPE_END = frozenset(".,;:!?()[]—–\"“”„‟«»")
#: Speech verbs (one word, lower case) that make the target the speaker of a quote in the sentence.
TONE_SPEECH_WORDS = frozenset(v for v in SPEECH_VERBS if " " not in v) | CORE_SPEECH_VERBS
#: Words of the whole-sentence news-tone model (read from the lower-cased sentence; ``’`` counts as ``'``).
TONE_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
