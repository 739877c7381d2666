"""Deterministic generator of the bundled sample corpus (``data/sample/``). Everything is fiction.

The sample is what every notebook runs on by default and what tests use end to end, so it is
built to exercise the analyses: about 300 seed-format articles from January 2023 to February
2024 in seven sections, several wire agencies (and articles with no wire line), ~30 recurring
invented speakers quoted in the attribution forms newsrooms use, positive, negative and neutral
stories, and four story lines that rise and fade (a ``flood`` in spring, ``trade talks`` in
summer, an ``election`` in autumn, a ``vaccine`` trial in three bursts).

Run it with ``python tools/make_sample.py OUTDIR`` (``make sample`` writes ``data/sample``). The
output depends only on :data:`SEED` and the phrase tables in ``tools/sample_phrases.json``: two
runs give byte-identical files. It lives outside the ``newsdesk`` package because no library
module uses it: it is a build tool for the committed sample, not part of what gets installed.
Besides the articles it writes ``README.md`` and a machine-readable truth of what was generated:

- ``truth/quotes.jsonl``: one row per quoted span: ``path`` (file name), ``start``/``end``
  (offsets into the article *body* as ``newsdesk.load_corpus`` returns it), ``quote``
  (``body[start:end]``: the text between the quote marks, marks excluded, punctuation inside the
  marks kept; a quote spanning paragraphs includes the line break and the next paragraph's opening
  mark), ``speaker`` (canonical name as in ``data/aliases.csv``; ``null`` for anonymous sources
  and scare quotes), ``speaker_kind`` (``person``, ``organisation``, ``anonymous``, ``none``),
  ``form`` (how it is attributed, see :data:`FORMS`), ``mention`` (the words naming the speaker in
  the attribution: ``Markova``, ``she``, ``Dr. Hill``) and ``mention_type``
  (``title_full``, ``appositive``, ``full``, ``alias``, ``surname``, ``honorific``, ``pronoun``,
  ``organisation``, ``anonymous``, ``none``), ``marks`` (``curly`` or ``straight``) and
  ``paragraphs`` (how many paragraphs the quote spans);
- ``truth/articles.jsonl``: one row per article: ``path``, ``title``, ``date``, ``section``,
  ``agency``, ``topic``, ``tone`` (``positive``/``negative``/``neutral``, what the story was
  written to be) and ``speakers``.

>>> from tools.make_sample import generate   # from the project root (tests put it on sys.path)
>>> arts = generate()                 # in memory: list of Article, nothing written
>>> len(arts), arts[0].path[:4]
(300, '000_')
>>> write_sample("data/sample")       # doctest: +SKIP
"""
from __future__ import annotations

import argparse
import calendar
import datetime as dt
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

SEED: int = 20230417
"""The only source of variation: change it and every article changes."""
N_ARTICLES: int = 300
START: dt.date = dt.date(2023, 1, 1)
END: dt.date = dt.date(2024, 2, 29)

#: Attribution forms recorded in ``truth/quotes.jsonl``.
FORMS = (
    "before",          # Markova said: “...”
    "after",           # “...,” Markova said.
    "inverted",        # “...,” said Markova.
    "told_reporters",  # “...,” Markova told reporters.
    "added",           # “...,” Markova added.
    "appositive",      # “...,” said Hugh Hill, a doctor at ...  /  Hugh Hill, a doctor, said: “...”
    "pronoun",         # “...,” she said.   (after the speaker was named)
    "colon",           # Markova was blunt: “...”
    "partial",         # Markova called the deal “a disaster”.
    "according_to",    # The dam was “never built for this”, according to Solberg.
    "dash",            # “...” – Markova   /   Markova – “...”
    "multi_paragraph", # Markova said: “...\n“...\n“...”
    "continuation",    # “A,” Markova said. “B.”   (B is the continuation)
    "split",           # “A,” Markova said, “but b.”
    "anonymous",       # “...,” said one resident.
    "scare",           # a so-called “green corridor” (no speaker)
)


# =========================================================================== cast
@dataclass(frozen=True)
class Person:
    name: str                 # canonical full name
    surname: str              # what later mentions use
    gender: str               # "f" or "m"
    title: str | None         # goes before the name: "Foreign Minister"
    appos: str                # long appositive: "a doctor at Riverside General Hospital"
    short: str                # short appositive: "a doctor"
    honorific: str | None = None   # "Dr.", "Professor"; None means Mr./Ms.
    alias: str | None = None       # another name the press uses (see data/aliases.csv)

    @property
    def kind(self) -> str:
        return "person"


@dataclass(frozen=True)
class Org:
    name: str                 # canonical: "Health Ministry"
    mentions: tuple[str, ...] # how the text names it: ("the Health Ministry", "the Ministry of Health")

    @property
    def kind(self) -> str:
        return "organisation"


# =========================================================================== tables
#: The phrase tables (cast, topics, sentence pools), kept as data beside this file.
PHRASES_FILE: Path = Path(__file__).with_name("sample_phrases.json")


def _load_phrases(path: Path = PHRASES_FILE) -> dict:
    """The tables of ``sample_phrases.json``, with the dates of ``phases`` as :class:`datetime.date`.

    Per topic: ``sections``, ``people`` (surnames), ``orgs``, ``supertitles``, ``things``, text pools
    by tone (``"neg"``, ``"neu"``, ``"pos"``: ``titles``, ``leads``, ``facts``, ``quotes``,
    ``clauses``, ``partials``), ``scare`` and, for a story line, ``phases``: pools that replace the
    tone's pool from a date on. Sentences use ``{slots}`` (see ``_Writer.slots``). Quotes carry no
    final punctuation (the attribution form adds it) unless they end in ? or !.
    """
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    for topic in data["topics"].values():
        if "phases" in topic:
            topic["phases"] = [(dt.date.fromisoformat(p["since"]), p["pools"]) for p in topic["phases"]]
    return data


_PHRASES = _load_phrases()

PEOPLE: dict[str, Person] = {p["surname"]: Person(**p) for p in _PHRASES["people"]}
ORGS: dict[str, Org] = {o["name"]: Org(o["name"], tuple(o["mentions"])) for o in _PHRASES["organisations"]}
#: ``canonical,alias`` pairs the text uses (the same rows are in ``data/aliases.csv``).
ALIASES: list[tuple[str, str]] = [tuple(r) for r in _PHRASES["aliases"]]
#: Dated events of the story lines (the same rows are in ``data/events.csv``).
EVENTS: list[tuple[str, str]] = [tuple(r) for r in _PHRASES["events"]]
CITIES: list[str] = _PHRASES["cities"]
ANONYMOUS: list[str] = _PHRASES["anonymous"]
#: Per topic: who speaks, where it runs, and its text pools by tone (see :func:`_load_phrases`).
TOPICS: dict[str, dict] = _PHRASES["topics"]
#: Extra sentences any article may use to reach its length (tone-free context).
GENERIC: list[str] = _PHRASES["generic"]
#: Quotes any speaker may use, by tone (drawn when the topic's own quotes run out).
GENERIC_QUOTES: dict[str, list[str]] = _PHRASES["generic_quotes"]
#: Narrative sentences are composed as ``{actor} {action}{when}.``: actors per topic, actions per
#: topic and tone (each action is used at most once per article), ``when`` from :data:`WHEN`.
NARRATIVE: dict[str, tuple[list[str], dict[str, list[str]]]] = {
    t: (v["actors"], v["actions"]) for t, v in _PHRASES["narrative"].items()}
#: Background and explainer sentences per topic (tone-free), each used at most once per article.
CONTEXT: dict[str, list[str]] = _PHRASES["context"]
#: Round-up sentences of the story lines: each may appear twice in an article, with other places.
ROUNDUP: dict[str, list[str]] = _PHRASES["roundup"]
WHEN: list[str] = _PHRASES["when"]
ORDINALS: list[str] = _PHRASES["ordinals"]
PARTIES: list[str] = _PHRASES["parties"]

WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
BACKGROUND_WEIGHTS = {"politics": 3, "world": 3, "business": 3, "science": 2, "health": 2, "culture": 3, "sport": 2}
TONES = {"pos": "positive", "neg": "negative", "neu": "neutral"}
AGENCIES = [("AFP", 30), ("Reuters", 20), ("AP", 15), ("AFP/Reuters", 10), (None, 25)]


# =========================================================================== plan
def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def _around(rng: Random, centre: str, sd_days: float, lo: str, hi: str) -> dt.date:
    c = _d(centre)
    while True:
        d = c + dt.timedelta(days=round(rng.gauss(0, sd_days)))
        if _d(lo) <= d <= _d(hi):
            return d


def _pick_tone(rng: Random, weights: dict[str, int]) -> str:
    keys = sorted(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _plan(rng: Random) -> list[tuple[dt.date, str, str]]:
    """(date, topic, tone) of every article, before any text is written."""
    plan: list[tuple[dt.date, str, str]] = []
    for _ in range(42):   # flood: spring, peaking mid-April, recovery stories into June
        d = _around(rng, "2023-04-12", 17, "2023-03-27", "2023-06-30")
        w = {"neg": 75, "neu": 20, "pos": 5} if d < _d("2023-05-01") else {"neg": 20, "neu": 30, "pos": 50}
        plan.append((d, "flood", _pick_tone(rng, w)))
    for _ in range(36):   # trade talks: summer, deal signed late July
        d = _around(rng, "2023-07-15", 18, "2023-06-12", "2023-08-31")
        w = {"neg": 30, "neu": 50, "pos": 20} if d < _d("2023-07-26") else {"neg": 10, "neu": 30, "pos": 60}
        plan.append((d, "trade", _pick_tone(rng, w)))
    for i in range(46):   # election: campaign builds to 29 October, then the result and its aftermath
        if i < 32:
            d = _d("2023-09-01") + dt.timedelta(days=round(rng.triangular(0, 58, 58)))
            w = {"neg": 40, "neu": 45, "pos": 15}
        else:
            d = _around(rng, "2023-10-31", 6, "2023-10-29", "2023-11-20")
            w = {"neg": 35, "neu": 25, "pos": 40}
        plan.append((d, "election", _pick_tone(rng, w)))
    for centre, sd, lo, hi, n, w in [   # vaccine trial: start, a scare, results, approval
        ("2023-02-08", 5, "2023-02-06", "2023-02-28", 6, {"neu": 100}),
        ("2023-06-05", 5, "2023-05-25", "2023-06-20", 4, {"neg": 80, "neu": 20}),
        ("2023-09-15", 6, "2023-09-14", "2023-10-05", 12, {"pos": 75, "neu": 20, "neg": 5}),
        ("2024-01-18", 6, "2024-01-17", "2024-02-10", 8, {"pos": 70, "neu": 30}),
    ]:
        for _ in range(n):
            plan.append((_around(rng, centre, sd, lo, hi), "vaccine", _pick_tone(rng, w)))
    span = (END - START).days
    bg = sorted(BACKGROUND_WEIGHTS)
    while len(plan) < N_ARTICLES:
        d = START + dt.timedelta(days=rng.randrange(span + 1))
        topic = rng.choices(bg, weights=[BACKGROUND_WEIGHTS[t] for t in bg])[0]
        plan.append((d, topic, _pick_tone(rng, {"neg": 35, "neu": 30, "pos": 35})))
    return plan


# =========================================================================== writing
@dataclass
class Quote:
    start: int
    end: int
    speaker: str | None
    speaker_kind: str
    form: str
    mention: str
    mention_type: str
    paragraphs: int = 1


@dataclass
class Article:
    """One generated article: its file text and what it contains."""
    path: str
    title: str
    date: dt.datetime
    section: str
    agency: str | None
    topic: str
    tone: str
    text: str          # the whole file
    body: str          # what the loader returns as ``body``
    quotes: list[Quote] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)


class _Body:
    """Writes an article body piece by piece, recording quote spans as offsets into it."""

    def __init__(self, straight: bool):
        self.straight = straight
        self.open, self.close = ('"', '"') if straight else ("“", "”")
        self.parts: list[str] = []
        self.n = 0
        self.quotes: list[Quote] = []

    def w(self, s: str) -> None:
        if self.straight:
            s = s.replace("’", "'").replace("“", '"').replace("”", '"')
        self.parts.append(s)
        self.n += len(s)

    def q(self, text: str, speaker, form: str, mention: str, mention_type: str) -> None:
        """Write ``“text”``, recording ``text`` as a quote."""
        self.w(self.open)
        s = self.n
        self.w(text)
        self.quotes.append(Quote(s, self.n, _name(speaker), _kind(speaker), form, mention, mention_type))
        self.w(self.close)

    def q_multi(self, paras: list[str], speaker, mention: str, mention_type: str) -> None:
        """A quote over several paragraphs: an opening mark at each, a closing mark at the end only."""
        self.w(self.open)
        s = self.n
        for i, p in enumerate(paras):
            if i:
                self.nl()
                self.w(self.open)
            self.w(p)
        self.quotes.append(Quote(s, self.n, _name(speaker), _kind(speaker), "multi_paragraph", mention,
                                 mention_type, paragraphs=len(paras)))
        self.w(self.close)

    def nl(self) -> None:
        self.w("\n")

    def text(self) -> str:
        return "".join(self.parts)

    def words(self) -> int:
        from newsdesk.text import count_words

        return count_words(self.text())


def _name(speaker) -> str | None:
    return speaker.name if isinstance(speaker, (Person, Org)) else None


def _kind(speaker) -> str:
    if isinstance(speaker, (Person, Org)):
        return speaker.kind
    return "anonymous" if speaker == "anonymous" else "none"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _comma(q: str) -> str:
    """Quote text as it stands before ``,” X said``."""
    return q if q[-1] in "?!" else q + ","


def _stop(q: str) -> str:
    """Quote text as it ends a sentence."""
    return q if q[-1] in "?!." else q + "."


_LOWERABLE = {"We", "The", "This", "It", "There", "Our", "Nobody", "Everyone", "People", "Both",
              "Every", "Today", "Tonight", "Frankly", "Prices", "Patients", "Volunteers"}


class _Writer:
    """Writes one article. All randomness comes from the shared ``rng``."""

    def __init__(self, rng: Random, topic: str, tone: str, when: dt.datetime):
        self.rng = rng
        self.topic = topic
        self.tone = tone
        self.T = dict(TOPICS[topic])
        for since, override in self.T.pop("phases", []):   # later stages of a story line
            if when.date() >= since:
                for key, by_tone in override.items():
                    self.T[key] = {**self.T[key], **by_tone}
        self.when = when
        self.straight = rng.random() < 0.2
        self.b = _Body(self.straight)
        self.introduced: set[str] = set()
        self.last: str | None = None  # surname of the person named last, for pronouns
        self.used: set[str] = set()
        self.speakers: list[str] = []
        self.n_generic = 0
        self.roundups: dict[str, int] = {}
        self.storyline = topic

    # ------------------------------------------------------------------ slots
    def slots(self) -> dict:
        r = self.rng
        city = r.choice(CITIES)
        return dict(
            city=city, other=r.choice([c for c in CITIES if c != city]), weekday=r.choice(WEEKDAY_NAMES),
            n=r.randint(3, 19), m=r.randint(20, 480), pct=r.randint(2, 38), k=r.randint(2, 5), place=r.randint(4, 9),
            month=calendar.month_name[r.randint(1, 12)], ordinal=r.choice(ORDINALS),
            party=r.choice(PARTIES), thing=r.choice(self.T["things"]),
        )

    def fill(self, template: str) -> str:
        return template.format_map(self.slots())

    def draw(self, pool: list[str]) -> str | None:
        """A not-yet-used item of ``pool`` (None when all are used)."""
        fresh = [p for p in pool if p not in self.used]
        if not fresh:
            return None
        s = self.rng.choice(fresh)
        self.used.add(s)
        return s

    def tone_pool(self, key: str) -> list[str]:
        """Pool ``key`` for this tone, with some neutral material mixed in."""
        pools = self.T[key]
        main = list(pools.get(self.tone, []))
        if self.tone != "neu":
            main += pools.get("neu", [])[: max(1, len(pools.get("neu", [])) // 2)]
        return main

    # ------------------------------------------------------------------ mentions
    def first_mention(self, p: Person) -> tuple[str, str, str, str]:
        """(subject form, end form, mention type, name as written) naming ``p`` for the first time.

        The subject form of an appositive ends with a comma (``Hugh Hill, a doctor,``) so that a
        verb can follow; the end form does not (``... said Hugh Hill, a doctor``).
        """
        r = self.rng
        if p.alias and r.random() < 0.45:
            title = f"{p.title} " if p.title and p.title != "Dr." else ""
            return f"{title}{p.alias}", f"{title}{p.alias}", "alias", f"{title}{p.alias}"
        if p.title and r.random() < 0.6:
            s = f"{p.title} {p.name}"
            return s, s, "title_full", s
        appos = p.appos if r.random() < 0.7 else p.short
        if appos.startswith("who ") and r.random() < 0.5:
            appos = p.short
        return f"{p.name}, {appos},", f"{p.name}, {appos}", "appositive", p.name

    def later_mention(self, p: Person) -> tuple[str, str]:
        r = self.rng
        x = r.random()
        if x < 0.3:
            hon = p.honorific or ("Ms." if p.gender == "f" else "Mr.")
            return f"{hon} {p.surname}", "honorific"
        return p.surname, "surname"

    def pronoun(self, p: Person) -> str:
        return "she" if p.gender == "f" else "he"

    # ------------------------------------------------------------------ pieces
    def quote_text(self) -> str | None:
        """A quote not yet used in this article, or None when there are no more."""
        q = self.draw(self.tone_pool("quotes"))
        if q is None:
            q = self.draw(GENERIC_QUOTES[self.tone] + GENERIC_QUOTES["neu"][:2])
        return q

    def quotes_left(self, k: int = 1) -> bool:
        pool = self.tone_pool("quotes") + GENERIC_QUOTES[self.tone] + GENERIC_QUOTES["neu"][:2]
        return len([q for q in pool if q not in self.used]) >= k

    def partial_text(self) -> str | None:
        """A partial quote (a phrase) not yet used in this article, or None."""
        return self.draw(self.tone_pool("partials"))

    def clause(self) -> str | None:
        return self.draw(self.tone_pool("clauses"))

    def sentence(self) -> str | None:
        """A narrative sentence not yet used in this article, or None when there are no more.

        Facts, composed ``actor action`` sentences and context come first (each once), then
        round-up sentences (each at most twice, with other places), then a few generic lines.
        """
        r = self.rng
        kinds = ["fact", "action", "action", "context"]
        r.shuffle(kinds)
        for kind in kinds:
            s = None
            if kind == "fact":
                s = self.draw(self.tone_pool("facts"))
            elif kind == "context":
                s = self.draw(CONTEXT.get(self.storyline, []))
            else:
                actors, actions = NARRATIVE[self.storyline]
                pool = list(actions.get(self.tone, [])) + (actions["neu"][:3] if self.tone != "neu" else [])
                act = self.draw(pool)
                if act is not None:
                    first = act.split()[0]
                    when = r.choice(WHEN) if first.endswith("ed") and first != "said" and "would" not in act else ""
                    s = f"{r.choice(actors)} {act}{when}."
            if s is not None:
                return self.fill(s)
        fresh = [x for x in ROUNDUP.get(self.storyline, []) if self.roundups.get(x, 0) < 2]
        if fresh:
            s = r.choice(fresh)
            self.roundups[s] = self.roundups.get(s, 0) + 1
            return self.fill(s)
        if self.n_generic < 3:
            s = self.draw(GENERIC)
            self.n_generic += 1
            return self.fill(s) if s else None
        return None

    # ------------------------------------------------------------------ paragraphs
    def narrative_paragraph(self, k: int) -> bool:
        out = [s for s in (self.sentence() for _ in range(k)) if s]
        if not out:
            return False
        self.b.w(" ".join(out))
        self.b.nl()
        self.last = None
        return True

    def person_paragraph(self, p: Person) -> None:
        """A paragraph quoting ``p`` in one of the attribution forms."""
        r, b = self.rng, self.b
        first = p.surname not in self.introduced
        if p.name not in self.speakers:
            self.speakers.append(p.name)
        slots = self.slots()
        if first:
            subj, end, mt, mention = self.first_mention(p)
            forms = ["before", "after", "inverted", "told_reporters", "partial", "according_to", "colon",
                     "multi_paragraph", "dash", "continuation"]
            if mt == "appositive":
                forms += ["appositive"] * 4
        else:
            subj, mt = self.later_mention(p)
            end = mention = subj
            forms = ["before", "after", "inverted", "told_reporters", "added", "partial", "according_to",
                     "colon", "dash", "split", "multi_paragraph", "continuation"]
            if self.last == p.surname:
                forms += ["pronoun"] * 5
        form = r.choice(forms)
        ph = self.partial_text() if form in ("partial", "according_to") else None
        if form in ("partial", "according_to") and ph is None:
            form = "after"
        if mt == "appositive" and form in ("colon", "dash"):
            form = "appositive"
        S = _cap(subj)
        q = self.quote_text()
        if form == "before":
            lead = r.choice(["said", f"said on {slots['weekday']}", "said in a statement", "said in an interview"])
            b.w(f"{S} {lead}: ")
            b.q(_stop(q), p, form, mention, mt)
        elif form == "after":
            b.q(_comma(q), p, form, mention, mt)
            b.w(f" {subj} {r.choice(['said', 'said on ' + slots['weekday'], 'said in a statement'])}.")
        elif form == "inverted":
            b.q(_comma(q), p, form, mention, mt)
            b.w(f" said {end}.")
        elif form == "told_reporters":
            if r.random() < 0.5:
                b.q(_comma(q), p, form, mention, mt)
                b.w(f" {subj} told reporters{r.choice(['', ' in ' + slots['city']])}.")
            else:
                b.w(f"{S} told reporters{r.choice(['', ' in ' + slots['city']])}: ")
                b.q(_stop(q), p, form, mention, mt)
        elif form == "added":
            if r.random() < 0.5:
                b.q(_comma(q), p, form, mention, mt)
                b.w(f" {subj} added.")
            else:
                b.w(f"{S} added: ")
                b.q(_stop(q), p, form, mention, mt)
        elif form == "appositive":
            if r.random() < 0.5:
                b.q(_comma(q), p, form, mention, mt)
                b.w(f" said {end}.")
            else:
                b.w(f"{S} said: " if r.random() < 0.7 else f"{S} said ")
                b.q(_stop(q), p, form, mention, mt)
        elif form == "pronoun":
            pr = self.pronoun(p)
            v = r.random()
            if v < 0.4:
                b.q(_comma(q), p, form, pr, "pronoun")
                b.w(f" {pr} said.")
            elif v < 0.6:
                b.q(_comma(q), p, form, pr, "pronoun")
                b.w(f" {pr} added.")
            elif v < 0.8:
                b.w(f"{_cap(pr)} said: ")
                b.q(_stop(q), p, form, pr, "pronoun")
            else:
                b.q(_comma(q), p, form, pr, "pronoun")
                b.w(f" {pr} told reporters.")
        elif form == "colon":
            if mt == "surname" and r.random() < 0.4:
                b.w(f"{S}’s message was simple: ")
            else:
                b.w(f"{S} {r.choice(['was blunt', 'put it plainly', 'struck a firm tone', 'had a clear message'])}: ")
            b.q(_stop(q), p, form, mention, mt)
        elif form == "partial":
            v = r.random()
            if v < 0.35:
                b.w(f"{S} called the {slots['thing']} ")
                b.q(ph, p, form, mention, mt)
                b.w(".")
            elif v < 0.7:
                b.w(f"{S} described the {slots['thing']} as ")
                b.q(ph, p, form, mention, mt)
                c = self.clause()
                b.w(f" and said {c}." if c else ".")
            else:
                b.w(f"{S} said the {slots['thing']} was ")
                b.q(ph, p, form, mention, mt)
                b.w(".")
        elif form == "according_to":
            if r.random() < 0.5:
                b.w(f"The {slots['thing']} was ")
                b.q(ph, p, form, mention, mt)
                b.w(f", according to {end}.")
            else:
                b.w(f"According to {end}, the {slots['thing']} has been ")
                b.q(ph, p, form, mention, mt)
                b.w(".")
        elif form == "dash":
            dash = r.choice([" – ", " — ", " -- "])
            if r.random() < 0.6:
                b.q(_stop(q), p, form, mention, mt)
                b.w(f"{dash}{end}")
            else:
                b.w(f"{S}{dash}")
                b.q(_stop(q), p, form, mention, mt)
        elif form == "multi_paragraph":
            k = r.choice([2, 2, 3])
            paras = []
            for _ in range(k):
                qs = [x for x in (q if not paras else self.quote_text(), self.quote_text() if r.random() < 0.5 else None) if x]
                if qs:
                    paras.append(" ".join(_stop(x) for x in qs))
            verb = r.choice(["said", "told reporters", "said in a statement"])
            b.w(f"{S} {verb}: ")
            b.q_multi(paras, p, mention, mt)
        elif form == "continuation":
            b.q(_comma(q), p, "after", mention, mt)
            b.w(f" {subj} said. ")
            b.q(_stop(self.quote_text() or "That is all I can say for now"), p, "continuation", mention, mt)
        elif form == "split":
            q2 = self.quote_text() or "We will see"
            first_word = q2.split()[0]
            if first_word in _LOWERABLE:
                b.q(_comma(q), p, form, mention, mt)
                b.w(f" {subj} said, ")
                b.q(_stop(r.choice(["and ", "but ", ""]) + q2[0].lower() + q2[1:]), p, form, mention, mt)
            else:
                b.q(_comma(q), p, "after", mention, mt)
                b.w(f" {subj} said. ")
                b.q(_stop(q2), p, "continuation", mention, mt)
        self.introduced.add(p.surname)
        self.last = p.surname
        # sometimes a paraphrase follows: indirect speech, no quote marks
        if form not in ("multi_paragraph", "dash") and r.random() < 0.3:
            c = self.clause()
            if c:
                b.w(f" {_cap(self.pronoun(p))} also said {c}.")
        b.nl()

    def paraphrase_paragraph(self, p: Person) -> None:
        """Indirect speech (no quote marks) naming ``p``: sets up a later pronoun or surname."""
        b = self.b
        if p.surname not in self.introduced:
            subj, _end, _mt, _m = self.first_mention(p)
            self.introduced.add(p.surname)
        else:
            subj, _mt = self.later_mention(p)
        if p.name not in self.speakers:
            self.speakers.append(p.name)
        b.w(f"{_cap(subj)} said {self.clause() or 'more details would follow'}.")
        self.last = p.surname
        q = self.quote_text() if self.rng.random() < 0.6 else None
        if q:
            b.w(" ")
            pr = self.pronoun(p)
            b.q(_comma(q), p, "pronoun", pr, "pronoun")
            b.w(f" {pr} {self.rng.choice(['said', 'added'])}.")
        b.nl()

    def org_paragraph(self, o: Org) -> None:
        r, b = self.rng, self.b
        mention = r.choice(o.mentions)
        if o.name not in self.speakers:
            self.speakers.append(o.name)
        q = self.quote_text() or "We have nothing to add"
        v = r.random()
        ph = self.partial_text() if v >= 0.7 else None
        if ph is not None:
            b.w(f"A spokesperson for {mention} said the {r.choice(self.T['things'])} was ")
            b.q(ph, o, "partial", f"a spokesperson for {mention}", "organisation")
            b.w(".")
        elif v < 0.4 or v >= 0.7:
            b.q(_comma(q), o, "after", mention, "organisation")
            b.w(f" {mention} said in a statement.")
        else:
            b.w(f"In a statement, {mention} said: ")
            b.q(_stop(q), o, "before", mention, "organisation")
        self.last = None
        b.nl()

    def anonymous_paragraph(self) -> None:
        r, b = self.rng, self.b
        who = r.choice(ANONYMOUS)
        q = self.quote_text()
        b.q(_comma(q), "anonymous", "anonymous", who, "anonymous")
        b.w(f" said {who}.")
        self.last = None
        b.nl()

    def scare_paragraph(self) -> bool:
        r, b = self.rng, self.b
        item = self.draw(self.T["scare"])
        if item is None:
            return False
        pre, rest = item.split("“", 1)
        inner, post = rest.split("”", 1)
        b.w(_cap(r.choice(["officials pointed to ", "critics questioned ", "much of the debate is about "])) + pre)
        b.q(inner, None, "scare", "", "none")
        b.w(post + ".")
        s = self.sentence()
        if s:
            b.w(" " + s)
        b.nl()
        self.last = None
        return True

    # ------------------------------------------------------------------ article
    def write(self, title: str) -> tuple[str, list[Quote], list[str]]:
        r, b = self.rng, self.b
        b.w(title)
        b.nl()
        title_words = b.words()
        if r.random() < 0.5:
            b.nl()
        b.w(self.fill(r.choice(self.T["leads"][self.tone])))
        if r.random() < 0.5:
            s = self.sentence()
            if s:
                b.w(" " + s)
        b.nl()
        long_topic = self.topic in ("flood", "trade", "election", "vaccine")
        target = int(r.triangular(170, 900, 450) if long_topic else r.triangular(160, 450, 230))
        people = [PEOPLE[k] for k in self.T["people"]]
        r.shuffle(people)
        cast = people[: r.choice([1, 2, 2, 3, 3, 4])]
        orgs = [ORGS[k] for k in self.T["orgs"]]
        max_quote_paras = 0 if r.random() < 0.07 else max(1, min(9, target // r.choice([70, 90, 110])))
        quote_paras = 0
        guard = 0
        while b.words() - title_words < target - 20 and guard < 80:
            guard += 1
            x = r.random()
            if quote_paras < max_quote_paras and x < 0.5 and self.quotes_left(3):
                quote_paras += 1
                y = r.random()
                if y < 0.8 or not orgs and y < 0.9:
                    p = r.choice(cast)
                    if r.random() < 0.15 and p.surname not in self.introduced:
                        self.paraphrase_paragraph(p)
                    else:
                        self.person_paragraph(p)
                elif y < 0.9:
                    self.org_paragraph(r.choice(orgs))
                elif y < 0.95 or not self.scare_paragraph():
                    self.anonymous_paragraph()
            elif not self.narrative_paragraph(r.choice([1, 2, 2, 3])):
                if quote_paras >= max_quote_paras or not self.quotes_left(3):
                    break
        self.n_generic = min(self.n_generic, 0)   # short articles may use more generic lines
        while b.words() - title_words < 150:   # pad short articles with context
            if not self.narrative_paragraph(2):
                break
        return b.text(), b.quotes, self.speakers


def _date_line(when: dt.datetime) -> str:
    return f"{WEEKDAY_NAMES[when.weekday()]}, {calendar.month_name[when.month]} {when.day}, {when.year} - {when:%H:%M}"


def generate(seed: int = SEED) -> list[Article]:
    """Generate the sample in memory, in date order. Same seed, same articles.

    >>> a = generate()[0]
    >>> a.text.startswith("## Title: ")
    True
    """
    rng = Random(seed)
    plan = _plan(rng)
    timed = []
    for i, (d, topic, tone) in enumerate(plan):
        hh = rng.choice([0, 1, 1, 1, 6, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 21, 22])
        mm = rng.choice([0, 0, 0, 0, 5, 15, 20, 30, 30, 45, 50])
        timed.append((dt.datetime(d.year, d.month, d.day, hh, mm), i, topic, tone))
    timed.sort()
    articles: list[Article] = []
    titles_seen: set[str] = set()
    for idx, (when, _i, topic, tone) in enumerate(timed):
        w = _Writer(rng, topic, tone, when)
        T = w.T
        for _ in range(20):
            title = w.fill(rng.choice(T["titles"][tone]))
            if title not in titles_seen:
                break
        else:
            title = f"{rng.choice(CITIES)}: {title}"
        titles_seen.add(title)
        if w.straight:
            title = title.replace("’", "'")
        section = rng.choice(T["sections"])
        supertitle = rng.choice(T["supertitles"]) if rng.random() < 0.55 else ""
        agency = rng.choices([a for a, _ in AGENCIES], weights=[wt for _, wt in AGENCIES])[0]
        body, quotes, speakers = w.write(title)
        if agency:
            body += f"{rng.choice(['- ', '- ', '- ', '– '])}{agency}\n"
        elif rng.random() < 0.5:
            body += "\n"
        header = (f"## Title: {title}\n## Supertitle: {supertitle}\n## Section: {section}\n"
                  f"## Date: {_date_line(when)}\n\n")
        digest = hashlib.sha1(f"{seed}:{idx}:{title}:{when.isoformat()}".encode("utf-8")).hexdigest()[:16]
        articles.append(Article(
            path=f"{idx:03d}_{digest}.txt", title=title, date=when, section=section, agency=agency,
            topic=topic, tone=TONES[tone], text=header + body, body=body, quotes=quotes, speakers=speakers,
        ))
    return articles


README = """# Sample corpus (generated, fiction)

Generated by `python tools/make_sample.py data/sample` (or `make sample`) from
`tools/make_sample.py` and its phrase tables `tools/sample_phrases.json` with a fixed seed
({seed}); running it again gives byte-identical files.
Do not edit these files by hand: change the generator and run it again.

**Everything here is invented.** The people, quotes, places (Kessington, Port Arden, the Vell
valley, Calvera...) and events are fiction, written to exercise the notebooks: {n} articles from
{first} to {last} in {n_sections} sections, several wire agencies, about 30 recurring speakers
quoted in the usual newsroom attribution forms, and four story lines that rise and fade
(`flood` in spring 2023, `trade talks` in summer, `election` in autumn, a `vaccine` trial in
February, June, September and January). `data/events.csv` marks their key dates.

`truth/quotes.jsonl` lists every quoted span the generator wrote (file, offsets into the article
body, text, canonical speaker, attribution form) and `truth/articles.jsonl` each article's
topic and intended tone; see the docstring of `tools/make_sample.py` for the fields. The loader reads
only `*.txt`, so these files are not articles.
"""

_OURS_RE = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")


def write_sample(outdir: str | os.PathLike, seed: int = SEED) -> list[Article]:
    """Write the sample into ``outdir`` (articles, ``README.md``, ``truth/``) and return the articles.

    Earlier generated files (``NNN_<16 hex>.txt``) in ``outdir`` are removed first; nothing else is.

    >>> arts = write_sample(tmp_path / "sample")   # doctest: +SKIP
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(exist_ok=True)
    articles = generate(seed)
    for old in sorted(out.iterdir()):
        if _OURS_RE.match(old.name) and old.is_file():
            old.unlink()
    for a in articles:
        (out / a.path).write_bytes(a.text.encode("utf-8"))
    with open(out / "truth" / "quotes.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        for a in articles:
            for q in a.quotes:
                row = {"path": a.path, "start": q.start, "end": q.end, "quote": a.body[q.start:q.end],
                       "speaker": q.speaker, "speaker_kind": q.speaker_kind, "form": q.form,
                       "mention": q.mention, "mention_type": q.mention_type,
                       "marks": "straight" if a.body[q.start - 1] == '"' else "curly",
                       "paragraphs": q.paragraphs}
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(out / "truth" / "articles.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        for a in articles:
            row = {"path": a.path, "title": a.title, "date": a.date.isoformat(), "section": a.section,
                   "agency": a.agency, "topic": a.topic, "tone": a.tone, "speakers": a.speakers}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    sections = sorted({a.section for a in articles})
    (out / "README.md").write_bytes(README.format(
        seed=seed, n=len(articles), first=f"{articles[0].date:%B %Y}", last=f"{articles[-1].date:%B %Y}",
        n_sections=len(sections)).encode("utf-8"))
    return articles


def main(argv: list[str] | None = None) -> int:
    from newsdesk import config

    ap = argparse.ArgumentParser(prog="python tools/make_sample.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", nargs="?", default=str(config.SAMPLE_CORPUS), help="output folder (default: data/sample)")
    ap.add_argument("--seed", type=int, default=SEED, help=f"random seed (default: {SEED})")
    args = ap.parse_args(argv)
    arts = write_sample(args.outdir, args.seed)
    n_quotes = sum(len(a.quotes) for a in arts)
    print(f"wrote {len(arts)} articles and {n_quotes} quotes to {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
