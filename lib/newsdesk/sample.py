"""Deterministic generator of the bundled sample corpus (``data/sample/``). Everything is fiction.

The sample is what every notebook runs on by default and what tests use end to end, so it is
built to exercise the analyses: about 300 seed-format articles from January 2023 to February
2024 in seven sections, several wire agencies (and articles with no wire line), ~30 recurring
invented speakers quoted in the attribution forms newsrooms use, positive, negative and neutral
stories, and four story lines that rise and fade (a ``flood`` in spring, ``trade talks`` in
summer, an ``election`` in autumn, a ``vaccine`` trial in three bursts).

Run it with ``python -m newsdesk.sample OUTDIR`` (``make sample`` writes ``data/sample``). The
output depends only on :data:`SEED`: two runs give byte-identical files. Besides the articles it
writes ``README.md`` and a machine-readable truth of what was generated:

- ``truth/quotes.jsonl``: one row per quoted span: ``path`` (file name), ``start``/``end``
  (offsets into the article *body* as :func:`newsdesk.load_corpus` returns it), ``quote``
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

>>> from newsdesk.sample import generate
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


P = Person
PEOPLE: dict[str, Person] = {p.surname: p for p in [
    # politics and the election
    P("Adrian Kessler", "Kessler", "m", "President", "the president", "the president"),
    P("Helena Voss", "Voss", "f", "Prime Minister", "the prime minister", "the prime minister"),
    P("Marcus Odell", "Odell", "m", "opposition leader", "who leads the opposition Civic Alliance", "the opposition leader"),
    P("Ruth Calloway", "Calloway", "f", "Senator", "a senator for the Vell valley", "a senator"),
    P("Tomas Brandt", "Brandt", "m", None, "head of the National Election Commission", "the commission head"),
    P("Nadia Sorel", "Sorel", "f", "campaign spokeswoman", "a spokeswoman for the Civic Alliance campaign", "a spokeswoman"),
    # world
    P("Elena Markova", "Markova", "f", "Foreign Minister", "the foreign minister", "the foreign minister", alias="Lena Markova"),
    P("Samuel Okafor", "Okafor", "m", None, "the UN special envoy for the region", "the UN envoy"),
    P("Viktor Hale", "Hale", "m", "Defence Minister", "the defence minister", "the defence minister"),
    # the flood
    P("Paul Ferreira", "Ferreira", "m", "Interior Minister", "the interior minister", "the interior minister"),
    P("Hugh Hill", "Hill", "m", "Dr.", "a doctor at Riverside General Hospital in Port Arden", "a doctor", honorific="Dr."),
    P("Grace Lindqvist", "Lindqvist", "f", "Mayor", "the mayor of Port Arden", "the mayor"),
    P("Daniel Mwangi", "Mwangi", "m", "fire chief", "who runs the Port Arden fire service", "the fire chief"),
    P("Ingrid Solberg", "Solberg", "f", None, "a hydrologist at the University of Kessington", "a hydrologist", honorific="Dr."),
    P("Omar Haddad", "Haddad", "m", None, "who coordinates Red Cross relief in the valley", "a relief coordinator"),
    # trade
    P("Chen Liang", "Chen", "m", "Trade Minister", "the trade minister", "the trade minister"),
    P("Sophie Laurent", "Laurent", "f", "chief negotiator", "the chief negotiator for Calvera", "the chief negotiator"),
    P("Rajiv Menon", "Menon", "m", None, "chief economist at Harbor Capital", "an economist"),
    P("Margaret Olsen", "Olsen", "f", "central bank governor", "governor of the central bank", "the governor"),
    P("Felix Navarro", "Navarro", "m", None, "chief executive of Norvane Motors", "a carmaker's boss"),
    P("Bridget Kerr", "Kerr", "f", "union leader", "who leads the United Workers union", "a union leader"),
    # the vaccine and health
    P("Amara Nwosu", "Nwosu", "f", "Dr.", "who leads the trial at the Kessington Institute", "a doctor", honorific="Dr."),
    P("Jonas Weber", "Weber", "m", "Health Minister", "the health minister", "the health minister"),
    P("Lukas Brenner", "Brenner", "m", "Professor", "an immunologist at the University of Kessington", "an immunologist", honorific="Professor"),
    P("Priya Raman", "Raman", "f", "Dr.", "an epidemiologist at the National Health Institute", "an epidemiologist", honorific="Dr."),
    # science, culture, sport
    P("Kenji Arakawa", "Arakawa", "m", "astronomer", "an astronomer at the Halden Observatory", "an astronomer", honorific="Dr."),
    P("Freya Lund", "Lund", "f", None, "a climate scientist at the Polar Research Centre", "a climate scientist", honorific="Dr."),
    P("Isabel Moreno", "Moreno", "f", "director", "whose film opened the festival", "the director"),
    P("Clara Wendt", "Wendt", "f", "novelist", "the author of six novels", "a novelist"),
    P("Ahmed Karimi", "Karimi", "m", None, "director of the National Museum", "the museum director"),
    P("Jonathan Whitfield", "Whitfield", "m", "coach", "who coaches Port Arden FC", "the coach", alias="Jack Whitfield"),
    P("Teodora Ilić", "Ilić", "f", "striker", "the club's top scorer", "the striker"),
]}
del P

ORGS: dict[str, Org] = {o.name: o for o in [
    Org("Health Ministry", ("the Health Ministry", "the Ministry of Health")),
    Org("White House", ("the White House",)),
    Org("Finance Ministry", ("the Finance Ministry",)),
    Org("National Election Commission", ("the National Election Commission", "the election commission")),
    Org("Meteorological Office", ("the Meteorological Office",)),
    Org("Norvane Motors", ("Norvane Motors",)),
]}

#: ``canonical,alias`` pairs the text uses (the same rows are in ``data/aliases.csv``).
ALIASES = [("Jonathan Whitfield", "Jack Whitfield"), ("Elena Markova", "Lena Markova"),
           ("Health Ministry", "Ministry of Health")]

#: Dated events of the story lines (the same rows are in ``data/events.csv``).
EVENTS = [
    ("2023-02-06", "Vaccine trial begins"),
    ("2023-03-27", "Vell river bursts its banks"),
    ("2023-04-12", "Flood emergency declared"),
    ("2023-06-19", "Trade talks open"),
    ("2023-07-26", "Trade deal signed"),
    ("2023-09-14", "Vaccine trial results"),
    ("2023-10-29", "Election day"),
    ("2024-01-17", "Vaccine approved"),
]

CITIES = ["Kessington", "Port Arden", "Marrow Bay", "Elsworth", "Halden", "Tarrow", "Brenmoor", "Linwick"]
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ANONYMOUS = ["one resident", "a senior official", "a diplomat who asked not to be named",
             "a shopkeeper", "one voter", "a nurse at the hospital", "an aide"]

# =========================================================================== topics
# Per topic: sections, people and organisations who speak, supertitles, and text pools by tone
# ("pos", "neg", "neu"). Sentences use {slots}: city, other, weekday, n, m, pct, month, company,
# thing. Quotes carry no final punctuation (the attribution form adds it) unless they end in ? or !.
TOPICS: dict[str, dict] = {
    "flood": dict(
        sections=["World", "World", "World", "Politics"],
        people=["Ferreira", "Hill", "Lindqvist", "Mwangi", "Solberg", "Haddad", "Voss", "Calloway"],
        orgs=["Meteorological Office", "Health Ministry"],
        supertitles=["FLOOD CRISIS", "Vell valley", "Emergency", "Weather"],
        things=["rescue effort", "flood response", "evacuation", "damage", "relief operation"],
        titles=dict(
            neg=["Flood kills {n} as Vell river bursts its banks", "Thousands evacuated as flood swamps {city}",
                 "Flood death toll rises to {n} in {city}", "Anger grows over slow flood response in {city}",
                 "Flood water cuts off {city} hospital", "Fresh flood warning for the Vell valley",
                 "Flood destroys homes and crops across the valley", "Looting fears as flood water lingers in {city}"],
            neu=["Flood water begins to recede in {city}", "Engineers inspect dams after the flood",
                 "Parliament to debate flood funding", "Flood inquiry to report by {month}",
                 "What we know about the Vell valley flood"],
            pos=["{city} celebrates as flood barrier holds", "Flood volunteers praised for saving {n} lives",
                 "Schools reopen in {city} after the flood", "Rebuilding after the flood brings hope to {city}",
                 "Record donations pour in for flood victims"],
        ),
        leads=dict(
            neg=["At least {n} people have been killed after a flood swept through {city}, destroying homes and leaving thousands stranded on rooftops.",
                 "The flood that hit the Vell valley on {weekday} has become the worst disaster the region has seen in a generation, with {m} people missing.",
                 "Rescue teams in {city} struggled on {weekday} to reach families trapped by a flood that has killed {n} people and destroyed bridges and roads.",
                 "Panic spread through {city} overnight as flood water broke through a barrier and poured into the old town, forcing a terrified population to flee."],
            neu=["Flood water in {city} fell by almost a metre on {weekday}, officials said, as engineers began inspecting the dams along the Vell river.",
                 "The government on {weekday} set out how it will pay for the flood repairs in the Vell valley, a bill estimated at {m} million.",
                 "Officials in {city} published new maps of the areas affected by the flood, covering {m} square kilometres of farmland and {n} villages."],
            pos=["Cheering crowds lined the streets of {city} on {weekday} as the last flood shelter closed and families returned to their repaired homes.",
                 "Volunteers who worked through the flood were honoured in {city} on {weekday}, credited with saving at least {n} lives.",
                 "A new flood barrier held firm through heavy rain in {city} this week, a success that residents celebrated with a street party."],
        ),
        facts=dict(
            neg=["Entire streets in the lower town remain under water, and the smell of sewage hangs over the flooded houses.",
                 "Farmers said the flood had destroyed their crops and drowned livestock, wiping out a year of work.",
                 "Hospitals in the valley were overwhelmed, and several clinics lost power when the water reached their generators.",
                 "Families sleeping in school gyms described the fear of watching the water rise through the night.",
                 "Critics accused the government of ignoring warnings that the old embankments were failing.",
                 "Roads and rail lines into {city} were cut, leaving aid convoys stuck for hours.",
                 "The bodies of {n} more victims were recovered on {weekday}, raising the death toll.",
                 "Insurers warned that many of the damaged homes were not covered, leaving owners facing ruin."],
            neu=["The Vell river runs for {m} kilometres from the hills above Halden to the sea at Marrow Bay.",
                 "Water levels are measured every hour at {n} gauges along the river.",
                 "The army has deployed {m} soldiers and {n} boats to the valley.",
                 "The last comparable flood in the region was recorded in 1953.",
                 "Officials said {pct} percent of households in the affected area had been contacted.",
                 "Emergency shelters have been set up in {n} schools and sports halls.",
                 "The interior ministry is coordinating the response with regional authorities.",
                 "Residents can check on relatives through a hotline set up on {weekday}."],
            pos=["Neighbours who had lost everything cooked together in the square, and children played in the sunshine.",
                 "Donations from across the country have exceeded {m} million, a record for a relief appeal.",
                 "The repaired bridge into {city} reopened ahead of schedule, to applause from waiting drivers.",
                 "Shops in the old town are reopening one by one, and owners say trade is recovering well.",
                 "The new barrier worked exactly as designed, engineers said, protecting thousands of homes.",
                 "Volunteers from {other} brought food, clean water and a great deal of good humour."],
        ),
        clauses=dict(
            neg=["the embankments had not been repaired for years", "more rain was expected and the danger had not passed",
                 "rescuers were running out of boats", "the hospital could not cope with the number of injured"],
            neu=["an inquiry would examine the response", "water levels would be monitored through the weekend",
                 "damage would be assessed street by street", "the budget for repairs would be set out next month"],
            pos=["the worst was over", "every family would be rehoused before winter",
                 "the barrier had saved the town", "the volunteers had been magnificent"],
        ),
        quotes=dict(
            neg=["The water came up faster than anyone expected. We have lost everything",
                 "This is the worst disaster I have seen in thirty years",
                 "We warned them again and again that the embankments would fail, and nobody listened",
                 "People are frightened, they are cold and they are angry",
                 "Where was the help when we needed it?",
                 "We are treating people with infections, broken bones and terrible injuries",
                 "There are still families we cannot reach, and every hour counts",
                 "It is a tragedy for this town and a scandal that it was allowed to happen"],
            neu=["We will publish the water levels every hour until the alert is lifted",
                 "The teams are working street by street and will report on their findings",
                 "Our priority now is to assess the dams and the bridges",
                 "We expect the river to fall slowly over the coming days",
                 "The inquiry will look at every decision that was taken"],
            pos=["The barrier held, and that saved thousands of homes",
                 "I am so proud of the volunteers. They were magnificent",
                 "Today is a happy day. Families are going home",
                 "We have rebuilt faster than anyone thought possible",
                 "The generosity of people across the country has been wonderful"],
        ),
        partials=dict(neg=["a disaster", "a total failure", "deeply irresponsible", "a catastrophe"],
                      neu=["under review", "a matter for the inquiry", "stable but fragile"],
                      pos=["a remarkable success", "a real turning point", "the best news in weeks"]),
        scare=["so-called “safe zones”", "the “temporary” shelters", "a “once in a century” flood"],
    ),
    "trade": dict(
        sections=["Business", "Business", "World"],
        people=["Chen", "Laurent", "Menon", "Olsen", "Navarro", "Kerr", "Markova"],
        orgs=["Finance Ministry", "White House", "Norvane Motors"],
        supertitles=["Trade", "Economy", "Calvera talks", "Markets"],
        things=["deal", "offer", "proposal", "tariff plan", "agreement"],
        titles=dict(
            neg=["Trade talks stall over car tariffs", "Trade talks in crisis after walkout",
                 "Exporters fear collapse of trade talks", "Unions warn trade talks threaten {n},000 jobs",
                 "Markets slide as trade talks falter"],
            neu=["Trade talks with Calvera open in {city}", "Trade talks enter third round",
                 "What is at stake in the trade talks", "Negotiators resume trade talks on {weekday}",
                 "Trade talks to focus on farm goods"],
            pos=["Trade talks end in landmark deal", "Markets rally as trade talks make progress",
                 "Exporters welcome breakthrough in trade talks", "Trade deal signed, ending years of disputes",
                 "Carmakers cheer trade talks success"],
        ),
        leads=dict(
            neg=["Trade talks between the government and Calvera broke down on {weekday} in bitter disagreement over car tariffs, raising fears of a damaging trade war.",
                 "Hopes of a quick end to the trade talks faded on {weekday} after negotiators failed to agree on farm subsidies, and markets fell sharply.",
                 "Exporters warned on {weekday} that {n},000 jobs were at risk if the trade talks collapsed, as frustration grew on both sides."],
            neu=["Negotiators from the government and Calvera met in {city} on {weekday} for a new round of trade talks covering cars, steel and farm goods.",
                 "The trade talks, now in their {ordinal} week, are expected to continue until the end of the month, officials said.",
                 "Both delegations presented new proposals on {weekday} as the trade talks moved on to customs rules."],
            pos=["The government and Calvera signed a landmark trade deal on {weekday}, ending years of disputes and cheering exporters on both sides.",
                 "Markets rallied on {weekday} after negotiators reported strong progress in the trade talks, lifting shares in carmakers by {pct} percent.",
                 "Business leaders welcomed a breakthrough in the trade talks on {weekday}, calling the agreement a win for workers and consumers."],
        ),
        facts=dict(
            neg=["Shares in Norvane Motors fell {pct} percent, their worst day this year.",
                 "Farmers protested outside the talks, blocking roads with tractors and shouting angry slogans.",
                 "Analysts said the failure would hurt growth and could push the economy into recession.",
                 "The dispute has already cost exporters an estimated {m} million in lost orders.",
                 "Some negotiators accused the other side of bad faith and threatened to walk out."],
            neu=["Trade between the two countries was worth {m} billion last year.",
                 "Cars and car parts account for about a third of exports to Calvera.",
                 "The talks are being held at a conference centre on the edge of {city}.",
                 "Each delegation includes about {n} officials and advisers.",
                 "The current tariff on cars is {pct} percent.",
                 "A joint statement is expected at the end of each round."],
            pos=["The deal removes tariffs on most goods within five years, a major win for exporters.",
                 "Shares in carmakers jumped, with Norvane Motors gaining {pct} percent.",
                 "Economists said the agreement would boost growth and create thousands of jobs.",
                 "Farm groups praised the deal, which protects their most sensitive products.",
                 "Negotiators shook hands and smiled for photographers after the signing."],
        ),
        clauses=dict(
            neg=["the other side had moved the goalposts", "jobs would be lost if no deal was reached",
                 "the offer was unacceptable"],
            neu=["the talks would resume next week", "technical teams would work through the weekend",
                 "both sides had exchanged new texts"],
            pos=["the deal was good for both countries", "exporters would benefit within months",
                 "the agreement would protect jobs"],
        ),
        quotes=dict(
            neg=["This offer is unacceptable and it would destroy jobs in our factories",
                 "We are very disappointed. The other side has not moved at all",
                 "If these talks fail, our members will pay the price",
                 "Nobody wins a trade war. Everyone loses",
                 "Frankly, the situation is worse than it was a month ago"],
            neu=["We will look at the text carefully and respond next week",
                 "The teams are working through the technical issues one by one",
                 "There are still several difficult questions on the table",
                 "Both sides want an agreement, and the work continues",
                 "We have exchanged proposals and will meet again on Monday"],
            pos=["This is a great day for our exporters and for our workers",
                 "We have reached a fair deal that benefits both countries",
                 "I am delighted. This agreement will create good jobs",
                 "The progress this week has been excellent",
                 "It is a win for consumers, who will pay less for many goods"],
        ),
        partials=dict(neg=["a betrayal", "unacceptable", "a disaster for farmers"],
                      neu=["technical", "constructive", "a work in progress"],
                      pos=["a historic step", "a win for everyone", "a great success"]),
        scare=["a so-called “green lane” for lorries", "the “final” offer", "a “temporary” tariff"],
    ),
    "election": dict(
        sections=["Politics"],
        people=["Kessler", "Voss", "Odell", "Calloway", "Brandt", "Sorel"],
        orgs=["National Election Commission", "White House"],
        supertitles=["Election 2023", "Politics", "Campaign trail", "Analysis"],
        things=["campaign", "result", "debate", "manifesto", "turnout"],
        titles=dict(
            neg=["Election campaign turns ugly as scandal hits {party}", "Violence mars election rally in {city}",
                 "Candidates trade insults in bitter election debate", "Threats against candidates cloud election race"],
            neu=["Election campaign enters final week", "Voters in {city} weigh their choices before the election",
                 "Election commission sets out counting rules", "Polls tighten ahead of the election",
                 "What to watch in the election"],
            pos=["Young voters inspired by election campaign", "Upbeat rallies close election campaign",
                 "Volunteers flock to election campaign in {city}"],
        ),
        leads=dict(
            neg=["The election campaign turned bitter on {weekday} as a funding scandal engulfed {party}, with opponents accusing its leaders of lying to voters.",
                 "Police in {city} arrested {n} people after fighting broke out at an election rally on {weekday}, leaving several injured.",
                 "Angry crowds gathered outside the election commission on {weekday}, claiming fraud and demanding a recount."],
            neu=["With {n} days to go before the election, the main parties set out their final plans on {weekday} in {city}.",
                 "The election commission on {weekday} published the rules for counting and said results would be announced overnight.",
                 "Polls published on {weekday} show the election race narrowing, with {pct} percent of voters still undecided."],
            pos=["Thousands of young voters cheered in {city} on {weekday} as the election campaign closed with an upbeat rally.",
                 "Volunteers poured into campaign offices in {city} on {weekday}, and organisers said enthusiasm for the election was the highest they had seen."],
        ),
        facts=dict(
            neg=["The scandal centres on {m} million in donations that were never declared.",
                 "Opposition supporters chanted insults, and some threw bottles at police.",
                 "Several candidates received threats, and one rally was cancelled over security fears.",
                 "Critics said the campaign had been the nastiest in decades, full of lies and personal attacks.",
                 "Observers reported problems at {n} polling stations, where ballots ran out."],
            neu=["About {m} million people are registered to vote.",
                 "Polling stations open at seven in the morning and close at nine at night.",
                 "The Civic Alliance has led the opposition for the past four years.",
                 "Parliament has {n} seats, and a majority requires more than half.",
                 "Postal ballots must arrive by the end of polling day.",
                 "The candidates will meet for a televised debate in {city}."],
            pos=["Supporters danced and sang at the rally, waving flags in the sunshine.",
                 "Registration among voters under thirty rose sharply, a hopeful sign for the country's democracy.",
                 "The televised debate was praised as lively, civil and informative.",
                 "Organisers said thousands of new volunteers had joined in the past month."],
        ),
        phases=[(dt.date(2023, 10, 29), dict(
            titles=dict(
                neg=["Protests after disputed election result", "Election fraud claims anger voters",
                     "Recount demanded as election result is challenged", "Clashes in {city} after election result",
                     "Losing party refuses to concede election", "Election observers report irregularities in {city}"],
                pos=["Voss celebrates election win", "Record turnout in peaceful election",
                     "Election winner promises fresh start", "Supporters cheer as {party} wins election in {city}",
                     "Election result brings relief to {city}", "Voss promises to unite country after election",
                     "New cabinet sworn in after election"]),
            leads=dict(
                neg=["Angry crowds gathered outside the election commission on {weekday}, claiming fraud and demanding a recount.",
                     "The defeated opposition refused on {weekday} to accept the election result, deepening a bitter dispute."],
                pos=["Helena Voss celebrated a clear election victory on {weekday}, thanking jubilant supporters in {city} and promising to unite the country.",
                     "Turnout in the election reached a record {pct} percent, and observers praised a peaceful and well-run vote."]),
            facts=dict(
                neg=["Observers reported problems at {n} polling stations, where ballots ran out.",
                     "Protesters chanted angry slogans and accused officials of rigging the count.",
                     "Several people were injured when police cleared the square."],
                pos=["Supporters danced in the streets, waving flags and singing late into the night.",
                     "International observers praised the vote as free, fair and peaceful.",
                     "The losing candidate congratulated the winner in a gracious speech.",
                     "Markets rose on the result, with investors welcoming the clear outcome."]),
        ))],
        clauses=dict(
            neg=["the campaign had been poisoned by lies", "the result could not be trusted",
                 "the party had betrayed its voters"],
            neu=["the count would be completed overnight", "all complaints would be investigated",
                 "the party would publish its plans on Friday"],
            pos=["the country had chosen hope", "the new government would work for everyone",
                 "the campaign had inspired a new generation"],
        ),
        quotes=dict(
            neg=["These are lies, and the voters deserve better",
                 "This campaign has been a disgrace from start to finish",
                 "We will not accept a result built on fraud",
                 "People are angry, and they have every right to be",
                 "How can anyone trust them after this scandal?"],
            neu=["Every vote will be counted, and the results will be published as they come in",
                 "We will set out our plans in detail next week",
                 "The rules are the same for every party",
                 "Voters will decide, as they always do"],
            pos=["Tonight the country chose hope over fear",
                 "I am deeply grateful to every person who voted for us",
                 "This is a victory for all of us, and I will govern for everyone",
                 "The energy of the young voters has been wonderful to see",
                 "We did it! Thank you"],
        ),
        partials=dict(neg=["a disgrace", "a campaign of lies", "a threat to democracy"],
                      neu=["on schedule", "routine", "a matter for the courts"],
                      pos=["a new beginning", "a triumph", "a celebration of democracy"]),
        scare=["the so-called “silent majority”", "a “clean” campaign", "the party's “fresh start”"],
    ),
    "vaccine": dict(
        sections=["Health", "Health", "Science"],
        people=["Nwosu", "Weber", "Brenner", "Raman", "Hill"],
        orgs=["Health Ministry"],
        supertitles=["Health", "Medicine", "Vaccine trial", "Research"],
        things=["trial", "vaccine", "results", "data", "approval"],
        titles=dict(
            neg=["Vaccine trial paused after volunteer falls ill", "Doubts grow over vaccine trial safety",
                 "Vaccine trial delay frustrates families"],
            neu=["Vaccine trial begins with {n} volunteers", "Regulator reviews vaccine data",
                 "How the vaccine trial works", "Vaccine trial moves to second phase"],
            pos=["Vaccine trial shows strong protection", "Breakthrough as vaccine cuts infections by {pct} percent",
                 "Doctors hail vaccine as a turning point"],
        ),
        leads=dict(
            neg=["A vaccine trial at the Kessington Institute was paused on {weekday} after a volunteer fell seriously ill, a setback that alarmed patients' groups.",
                 "Concerns about the safety of the vaccine trial grew on {weekday} after reports of severe side effects in {n} volunteers.",
                 "Families waiting for a vaccine voiced frustration and anger on {weekday} as the trial was delayed again."],
            neu=["The vaccine trial at the Kessington Institute began on {weekday}, with {n} volunteers receiving their first doses.",
                 "Regulators started reviewing data from the vaccine trial on {weekday}, a process expected to take several months.",
                 "The vaccine trial enrolled its last volunteers on {weekday}, researchers said, bringing the total to {n},000."],
            pos=["A new vaccine cut infections by {pct} percent in a large trial, researchers announced on {weekday}, a breakthrough that doctors hailed as a turning point.",
                 "Scientists celebrated on {weekday} as the vaccine trial showed strong and lasting protection with few side effects."],
        ),
        facts=dict(
            neg=["The volunteer was taken to hospital with a high fever and breathing problems.",
                 "Patients' groups said they were worried and demanded more information.",
                 "The delay means the vaccine will not be available before next winter, a painful blow for vulnerable patients.",
                 "Critics said the trial had been rushed and questioned its safety checks."],
            neu=["Half of the volunteers received the vaccine and half a placebo.",
                 "Neither the volunteers nor the doctors know who received which injection.",
                 "The trial is run at {n} hospitals across the country.",
                 "Volunteers are followed up for twelve months after their second dose.",
                 "An independent board reviews the safety data every month.",
                 "The vaccine is given in two doses, four weeks apart."],
            pos=["Protection lasted for at least six months, and side effects were mild.",
                 "The results were praised by independent experts as clear and convincing.",
                 "Doctors said the vaccine could save thousands of lives every year.",
                 "The success is a major win for the Kessington Institute and its young team."],
        ),
        phases=[(dt.date(2024, 1, 1), dict(
            titles=dict(pos=["Vaccine approved after successful trial", "Families celebrate as vaccine reaches clinics",
                             "First vaccine doses arrive in {city}"]),
            leads=dict(pos=["The vaccine was approved for use on {weekday} after a successful trial, and the first doses will reach clinics within weeks.",
                            "Cheerful queues formed outside clinics in {city} on {weekday} as the newly approved vaccine was given to the first patients."]),
            facts=dict(pos=["Clinics reported long but cheerful queues on the first day of vaccination.",
                            "The regulator praised the quality of the trial data.",
                            "Older patients and health workers will be offered the vaccine first."]),
        ))],
        clauses=dict(
            neg=["the safety concerns had to be taken seriously", "the delay was painful for patients"],
            neu=["the data would be published in full", "the trial would continue as planned",
                 "the regulator would decide by the end of the year"],
            pos=["the results were better than expected", "the vaccine would save lives",
                 "the first doses would reach clinics within weeks"],
        ),
        quotes=dict(
            neg=["We have paused the trial because safety comes first",
                 "I understand the frustration of families. This delay is painful",
                 "Patients deserve clear answers, and so far they have not had them",
                 "Frankly, we are worried"],
            neu=["The trial will tell us whether the vaccine works and whether it is safe",
                 "We will publish all of the data, including the side effects",
                 "Volunteers can leave the trial at any time",
                 "The regulator will look at the evidence independently"],
            pos=["These results are excellent. The vaccine works",
                 "This is a breakthrough that will save many lives",
                 "I am thrilled for our volunteers, who made this possible",
                 "It is the best news our patients have had in years",
                 "We are delighted and very proud of the team"],
        ),
        partials=dict(neg=["deeply worrying", "a serious setback", "unacceptable"],
                      neu=["on track", "preliminary", "under review"],
                      pos=["a breakthrough", "remarkable", "a turning point"]),
        scare=["so-called “long” side effects", "the “miracle” vaccine", "a “fast-track” review"],
    ),
}

# Background topics: no story-line terms (flood, trade talks, election, vaccine) in their text.
TOPICS |= {
    "politics": dict(
        sections=["Politics"],
        people=["Voss", "Odell", "Calloway", "Kessler"],
        orgs=["Finance Ministry", "White House"],
        supertitles=["Politics", "Parliament", "Analysis"],
        things=["budget", "reform", "bill", "plan"],
        titles=dict(
            neg=["Minister resigns over expenses scandal", "Parliament in uproar over spending cuts",
                 "Corruption scandal deepens in {city} council"],
            neu=["Parliament debates pension reform", "Government sets out budget plans",
                 "Committee to review housing bill", "Cabinet meets in {city}"],
            pos=["Parliament passes popular housing bill", "Budget brings relief for families",
                 "Cross-party deal on child care welcomed"],
        ),
        leads=dict(
            neg=["A government minister resigned on {weekday} after a scandal over expenses, the latest blow to a cabinet already weakened by infighting.",
                 "Parliament erupted in anger on {weekday} as the government announced deep cuts to public services."],
            neu=["Parliament on {weekday} began debating a reform of pensions that would raise the retirement age by two years.",
                 "The government set out its spending plans on {weekday}, with {m} billion for schools and hospitals."],
            pos=["Parliament passed a popular housing bill on {weekday}, a rare moment of unity that was welcomed by tenants and builders alike.",
                 "Families will receive extra support under a budget announced on {weekday}, a relief for millions struggling with rising prices."],
        ),
        facts=dict(
            neg=["The minister had claimed {m},000 for a second home he rarely used.",
                 "Opposition members shouted 'shame' as the cuts were read out.",
                 "Public anger over the scandal has grown for weeks."],
            neu=["The bill will now go to a committee for detailed scrutiny.",
                 "The pension age is currently {n}.",
                 "The budget must be approved by the end of the year.",
                 "The cabinet meets every Tuesday in {city}."],
            pos=["Tenants' groups praised the bill as a big step forward.",
                 "Child benefit will rise by {pct} percent, helping millions of families.",
                 "Members from all parties applauded after the vote."],
        ),
        clauses=dict(neg=["the government had lost its way"], neu=["the bill would be amended"],
                     pos=["the budget would help families"]),
        quotes=dict(
            neg=["This is a shameful day for parliament", "The government has broken its promises"],
            neu=["We will study the proposals carefully", "The committee will hear evidence next month"],
            pos=["This is good news for every family", "I am proud that we worked together"],
        ),
        partials=dict(neg=["shameful", "a broken promise"], neu=["a first step"], pos=["a big step forward"]),
        scare=["the so-called “efficiency savings”"],
    ),
    "world": dict(
        sections=["World"],
        people=["Markova", "Okafor", "Hale", "Kessler"],
        orgs=["White House"],
        supertitles=["Diplomacy", "World", "Conflict"],
        things=["ceasefire", "summit", "agreement", "plan"],
        titles=dict(
            neg=["Border clashes kill {n} soldiers", "Ceasefire collapses as fighting resumes",
                 "Refugees flee as violence spreads near {city}"],
            neu=["Markova meets UN envoy in {city}", "Foreign ministers gather for summit",
                 "Envoy to visit the region next week"],
            pos=["Ceasefire holds as peace talks make progress", "Prisoners freed in goodwill gesture",
                 "Leaders hail breakthrough at summit"],
        ),
        leads=dict(
            neg=["Fighting along the northern border killed {n} soldiers on {weekday}, wrecking a fragile ceasefire and forcing thousands of families to flee.",
                 "Violence spread to the outskirts of {city} on {weekday}, and aid groups warned of a growing humanitarian crisis."],
            neu=["Foreign Minister Elena Markova met the UN special envoy in {city} on {weekday} to discuss the situation on the northern border.",
                 "Foreign ministers from {n} countries gathered in {city} on {weekday} for a two-day summit."],
            pos=["A ceasefire on the northern border held for a third week, and peace talks in {city} made encouraging progress on {weekday}.",
                 "{n} prisoners were freed on {weekday} in a goodwill gesture welcomed by families who had waited years for the news."],
        ),
        facts=dict(
            neg=["Aid groups said hospitals near the border were running out of medicine.",
                 "Homes and schools were destroyed by shelling.",
                 "The conflict has killed more than {m},000 people since it began."],
            neu=["The border region has been disputed for decades.",
                 "The summit will end with a joint statement.",
                 "The envoy has visited the region {n} times this year."],
            pos=["Families embraced at the border crossing, many in tears of joy.",
                 "Diplomats described the atmosphere at the talks as warm and friendly.",
                 "Aid convoys reached the border villages safely for the first time in months."],
        ),
        clauses=dict(neg=["the violence must stop"], neu=["the talks would continue"], pos=["peace was within reach"]),
        quotes=dict(
            neg=["The killing must stop now", "The situation is dire and getting worse"],
            neu=["We discussed all the issues frankly", "We will meet again next month"],
            pos=["This is an important and hopeful moment", "I am encouraged by the progress"],
        ),
        partials=dict(neg=["unacceptable", "a humanitarian crisis"], neu=["frank"], pos=["a hopeful moment"]),
        scare=["the so-called “buffer zone”"],
    ),
    "business": dict(
        sections=["Business"],
        people=["Navarro", "Menon", "Olsen", "Kerr"],
        orgs=["Norvane Motors", "Finance Ministry"],
        supertitles=["Business", "Markets", "Companies", ""],
        things=["results", "plan", "rate decision", "outlook"],
        titles=dict(
            neg=["Norvane Motors to cut {n}00 jobs", "Inflation hits {pct} percent, squeezing households",
                 "Factory in {city} to close"],
            neu=["Central bank holds interest rates", "Norvane Motors reports quarterly results",
                 "Retail sales flat in {month}"],
            pos=["Norvane Motors hires {n}00 workers at new plant", "Inflation falls for a third month",
                 "Strong growth lifts markets"],
        ),
        leads=dict(
            neg=["Norvane Motors said on {weekday} it would cut {n}00 jobs in {city}, a painful blow to a town that depends on the carmaker.",
                 "Inflation rose to {pct} percent in {month}, official figures showed on {weekday}, squeezing households already struggling with high bills."],
            neu=["The central bank left interest rates unchanged on {weekday}, as expected by most economists.",
                 "Norvane Motors reported quarterly sales of {m} billion on {weekday}, in line with forecasts."],
            pos=["Norvane Motors opened a new plant in {city} on {weekday}, creating {n}00 jobs and lifting hopes for the local economy.",
                 "Inflation fell for a third month in a row, figures showed on {weekday}, a relief for families and a boost for markets."],
        ),
        facts=dict(
            neg=["Workers gathered outside the factory gates, many visibly upset.",
                 "Food and energy prices rose fastest, hurting poorer households most.",
                 "The shares lost {pct} percent in early trading."],
            neu=["The central bank meets eight times a year.",
                 "The company employs about {m},000 people.",
                 "Economists had expected no change."],
            pos=["Shares rose {pct} percent, their best day in months.",
                 "The new plant will build electric vans and buses.",
                 "Consumer confidence improved strongly."],
        ),
        clauses=dict(neg=["the cuts were painful but necessary"], neu=["rates would stay on hold"],
                     pos=["the outlook had improved"]),
        quotes=dict(
            neg=["This is a terrible day for our members and their families", "Prices are still far too high"],
            neu=["We will keep watching the data closely", "Our results were in line with expectations"],
            pos=["We are very excited about the new plant", "The outlook has clearly improved"],
        ),
        partials=dict(neg=["a terrible blow"], neu=["in line with expectations"], pos=["very encouraging"]),
        scare=["so-called “shrinkflation”"],
    ),
    "science": dict(
        sections=["Science"],
        people=["Arakawa", "Lund", "Brenner"],
        orgs=[],
        supertitles=["Science", "Space", "Climate", ""],
        things=["discovery", "study", "mission", "findings"],
        titles=dict(
            neg=["Arctic ice melting faster than feared", "Telescope mission fails after launch",
                 "Coral reefs face mass die-off, study warns"],
            neu=["Astronomers map distant galaxy", "Study tracks bird migration", "New telescope starts work"],
            pos=["Astronomers discover Earth-like planet", "Rare bird returns after fifty years",
                 "Students win international science prize"],
        ),
        leads=dict(
            neg=["Arctic sea ice is melting faster than scientists had feared, a study published on {weekday} warned, with alarming consequences for coastal cities.",
                 "A telescope mission costing {m} million failed shortly after launch on {weekday}, a bitter disappointment for the team."],
            neu=["Astronomers at the Halden Observatory published a detailed map of a distant galaxy on {weekday}.",
                 "A new telescope in the hills above Halden began work on {weekday} after ten years of construction."],
            pos=["Astronomers at the Halden Observatory have discovered a rocky planet that may hold water, an exciting find announced on {weekday}.",
                 "A rare bird not seen in the region for fifty years has returned, delighting researchers and birdwatchers."],
        ),
        facts=dict(
            neg=["The loss of ice threatens wildlife and speeds up warming.",
                 "Engineers lost contact with the craft minutes after launch."],
            neu=["The study used data from {n} satellites.",
                 "The observatory sits {m} metres above sea level.",
                 "The findings were published in a peer-reviewed journal."],
            pos=["The planet lies in the zone where water could be liquid.",
                 "Volunteers counted the birds over a full year.",
                 "The team celebrated with cake and champagne."],
        ),
        clauses=dict(neg=["the situation was alarming"], neu=["more observations were needed"],
                     pos=["the discovery was exciting"]),
        quotes=dict(
            neg=["The speed of the melting is alarming", "It is a bitter disappointment for the whole team"],
            neu=["We need more observations before we can say more", "The data will be public next year"],
            pos=["This is the most exciting discovery of my career", "It is a wonderful surprise"],
        ),
        partials=dict(neg=["alarming"], neu=["preliminary"], pos=["extraordinary"]),
        scare=["the so-called “Goldilocks zone”"],
    ),
    "health": dict(
        sections=["Health"],
        people=["Weber", "Raman", "Hill"],
        orgs=["Health Ministry"],
        supertitles=["Health", "Hospitals", ""],
        things=["plan", "waiting list", "strategy", "funding"],
        titles=dict(
            neg=["Hospital waiting lists hit record", "Nurses strike over pay", "Heatwave puts strain on hospitals"],
            neu=["Ministry publishes hospital figures", "New clinic opens in {city}", "Doctors discuss staffing plan"],
            pos=["Waiting times fall for first time in years", "New children's hospital opens in {city}",
                 "Smoking rates reach record low"],
        ),
        leads=dict(
            neg=["Hospital waiting lists reached a record {m},000 patients, figures showed on {weekday}, with some waiting more than a year for surgery.",
                 "Thousands of nurses went on strike on {weekday} over pay and working conditions, forcing hospitals to cancel operations."],
            neu=["The health ministry published its quarterly hospital figures on {weekday}, covering {n} hospitals.",
                 "A new clinic opened in {city} on {weekday}, offering appointments six days a week."],
            pos=["Waiting times for surgery fell for the first time in years, figures showed on {weekday}, a success welcomed by patients.",
                 "A new children's hospital opened in {city} on {weekday}, with bright wards, a garden and a playground."],
        ),
        facts=dict(
            neg=["Some patients said they had been left in pain for months.", "Staff shortages have worsened since last year."],
            neu=["The figures are published every three months.", "The clinic has {n} doctors and {m} nurses."],
            pos=["Staff said morale had improved.", "Parents praised the friendly and caring staff."],
        ),
        clauses=dict(neg=["the system was under severe strain"], neu=["the figures would be reviewed"],
                     pos=["patients were being treated faster"]),
        quotes=dict(
            neg=["Patients are suffering, and staff are exhausted", "We cannot go on like this"],
            neu=["We will publish the figures every quarter", "Staffing is being reviewed"],
            pos=["This is a wonderful new hospital for our children", "Patients are being treated faster, and that is great news"],
        ),
        partials=dict(neg=["a crisis"], neu=["under review"], pos=["a real improvement"]),
        scare=["so-called “corridor care”"],
    ),
    "culture": dict(
        sections=["Culture"],
        people=["Moreno", "Wendt", "Karimi"],
        orgs=[],
        supertitles=["Culture", "Film", "Books", "Arts", ""],
        things=["festival", "exhibition", "film", "novel"],
        titles=dict(
            neg=["Museum theft shocks art world", "Festival cancelled after funding row",
                 "Fire damages historic theatre in {city}"],
            neu=["Festival announces programme", "Museum extends opening hours", "Novelist to publish memoir"],
            pos=["Moreno film wins top festival prize", "Wendt novel wins national book award",
                 "Record crowds enjoy {city} festival", "Museum celebrates centenary with joyful parade"],
        ),
        leads=dict(
            neg=["Thieves stole {n} paintings from the National Museum overnight on {weekday}, a shocking loss that stunned curators.",
                 "The {city} arts festival was cancelled on {weekday} after a bitter row over funding, leaving artists angry and disappointed."],
            neu=["The {city} film festival announced its programme on {weekday}, with {n} films from {m} countries.",
                 "The National Museum will stay open until ten at night on Fridays, it said on {weekday}."],
            pos=["Isabel Moreno's new film won the top prize at the {city} festival on {weekday}, delighting a cheering audience.",
                 "Record crowds enjoyed sunshine, music and dancing at the {city} festival on {weekday}.",
                 "Clara Wendt won the national book award on {weekday} for a warm and funny novel about three sisters."],
        ),
        facts=dict(
            neg=["Police said the alarm system had failed.", "Artists said they felt betrayed by the decision."],
            neu=["The festival runs for ten days.", "The museum holds about {m},000 objects.",
                 "The prize is worth {n},000."],
            pos=["The audience gave the film a standing ovation.", "Children danced in front of the main stage.",
                 "Critics praised the novel as brilliant and moving."],
        ),
        clauses=dict(neg=["the loss was devastating"], neu=["the programme would be published online"],
                     pos=["the prize was a dream come true"]),
        quotes=dict(
            neg=["It is a devastating loss for the museum and for the public", "We feel betrayed"],
            neu=["The programme will be online next week", "We are still working on the details"],
            pos=["I am so happy and grateful", "This is a dream come true", "The crowd was amazing!"],
        ),
        partials=dict(neg=["devastating"], neu=["a work in progress"], pos=["a dream come true"]),
        scare=["the so-called “blockbuster” exhibition"],
    ),
    "sport": dict(
        sections=["Sport"],
        people=["Whitfield", "Ilić"],
        orgs=[],
        supertitles=["Football", "Sport", ""],
        things=["match", "season", "performance", "result"],
        titles=dict(
            neg=["Port Arden FC crash to heavy defeat", "Injury blow for Ilić", "Fans angry after cup exit"],
            neu=["Port Arden FC prepare for derby", "Whitfield names squad for cup tie"],
            pos=["Ilić hat-trick sends Port Arden FC top", "Port Arden FC win the cup", "Fans celebrate title win"],
        ),
        leads=dict(
            neg=["Port Arden FC suffered a humiliating {k}-0 defeat on {weekday}, and angry fans booed the players off the pitch.",
                 "Striker Teodora Ilić will miss the rest of the season with a knee injury, a painful blow for the club."],
            neu=["Port Arden FC travel to {city} on {weekday} for the derby, with the squad fully fit.",
                 "The club announced its squad for the cup tie on {weekday}."],
            pos=["Teodora Ilić scored a brilliant hat-trick on {weekday} to send Port Arden FC to the top of the league.",
                 "Port Arden FC won the cup on {weekday}, sparking joyful celebrations across the town."],
        ),
        facts=dict(
            neg=["The team has lost {k} of its last six matches.", "Some fans demanded the coach resign."],
            neu=["The match kicks off at three.", "The stadium holds {n},000 fans."],
            pos=["Fans sang and danced long after the final whistle.", "It was the club's first trophy in {n} years."],
        ),
        clauses=dict(neg=["the team had let the fans down"], neu=["the squad was fit"],
                     pos=["the team had played brilliantly"]),
        quotes=dict(
            neg=["We were terrible today, and I take the blame", "It hurts, it really hurts"],
            neu=["We take every game as it comes", "The derby is always a tough match"],
            pos=["I am so proud of these players", "What a night! The fans were fantastic"],
        ),
        partials=dict(neg=["unacceptable"], neu=["a tough match"], pos=["fantastic"]),
        scare=["the so-called “group of death”"],
    ),
}

#: Extra sentences any article may use to reach its length (tone-free context).
GENERIC = [
    "The figures could not be independently verified.",
    "Local media reported similar accounts from several towns.",
    "The story is developing, and more details are expected later in the week.",
    "Officials did not say when a decision would be made.",
    "Several meetings were held behind closed doors in {city}.",
    "The issue is expected to be discussed again when parliament returns.",
    "A report on the matter is due to be published in {month}.",
    "Newspapers in {other} carried the story on their front pages.",
    "The government has faced questions on the subject for months.",
    "A full statement was posted online later in the day.",
]

#: Quotes any speaker may use, by tone (drawn when the topic's own quotes run out).
GENERIC_QUOTES = {
    "neg": ["I have never seen anything like it, and I hope I never will again",
            "People feel abandoned, and I understand why", "This should never have happened",
            "We are angry and we are tired", "It is a sad day for all of us"],
    "neu": ["We will look at all the options", "It is too early to draw conclusions",
            "We are in close contact with everyone involved", "There will be more to say next week",
            "We are following the situation closely"],
    "pos": ["I could not be happier", "It is a proud moment for everyone involved",
            "This is what we hoped for, and it feels wonderful", "We have every reason to be optimistic",
            "Everyone worked incredibly hard, and it paid off"],
}

#: Narrative sentences are composed as ``{actor} {action}{when}.``: actors per topic, actions per
#: topic and tone (each action is used at most once per article), ``when`` from :data:`WHEN`.
NARRATIVE: dict[str, tuple[list[str], dict[str, list[str]]]] = {
    "flood": (
        ["Residents of {city}", "Rescue workers", "Farmers near {city}", "Local officials", "Aid agencies",
         "Volunteers from {other}", "Shop owners in the old town", "Families in the lower town"],
        dict(
            neg=["said they had lost almost everything to the flood water", "described scenes of devastation in the flooded streets",
                 "warned that the danger was far from over", "struggled to reach villages cut off by the flood",
                 "complained bitterly that help had come too late", "spoke of their fear as the water kept rising",
                 "reported that sewage had contaminated the drinking water", "said they had been forced to abandon their homes",
                 "described the flood as the worst disaster in living memory", "said the damage would take years to repair"],
            neu=["met to discuss the next steps in the flood response", "began to assess the flood damage street by street",
                 "registered claims for compensation at the town hall", "checked water levels along the river",
                 "were told to boil tap water until further notice", "were given updated maps of the flood zone"],
            pos=["returned to their homes as the flood water receded", "praised the speed of the repairs",
                 "cleared mud from the streets in good spirits", "celebrated the reopening of the main bridge",
                 "thanked the volunteers who had helped them through the flood", "said they were hopeful about the future"],
        ),
    ),
    "trade": (
        ["Exporters", "Car workers in {city}", "Farm groups", "Analysts in {city}", "Business leaders",
         "Officials from both sides", "Investors", "Small firms in {other}"],
        dict(
            neg=["warned that the trade talks were close to collapse", "said the uncertainty was already costing them orders",
                 "feared that thousands of jobs could be lost", "accused the negotiators of ignoring their concerns",
                 "said the latest setback was deeply worrying", "sold shares as the mood around the trade talks soured",
                 "complained that the talks had dragged on for far too long"],
            neu=["followed the trade talks closely", "studied the draft texts published by the ministry",
                 "said they were waiting for the details of the proposals", "met the negotiators to explain their position",
                 "expect the trade talks to continue for several weeks", "said the outcome remained uncertain"],
            pos=["welcomed the progress in the trade talks", "said the deal would help them win new customers",
                 "praised the negotiators for their patience", "said they were optimistic about the coming year",
                 "celebrated the agreement as a great success", "said the deal would secure jobs for years"],
        ),
    ),
    "election": (
        ["Voters in {city}", "Campaign workers", "Party officials", "Observers", "Young voters",
         "Pollsters", "Supporters of the Civic Alliance", "Local candidates in {other}"],
        dict(
            neg=["said they were disgusted by the tone of the election campaign", "accused rivals of spreading lies",
                 "complained of intimidation at polling stations", "said the scandal had destroyed their trust",
                 "warned that anger could spill over into violence", "said they felt ignored by every party",
                 "reported threats and abuse online"],
            neu=["were preparing for the election count", "knocked on doors across the constituency",
                 "said the election race was too close to call", "waited for the first results",
                 "studied the party manifestos", "handed out leaflets in the town centre"],
            pos=["celebrated late into the night after the election", "said they felt inspired by the campaign",
                 "praised the calm and friendly atmosphere at polling stations", "welcomed the clear election result",
                 "said they were hopeful about the new government", "cheered and sang in the main square"],
        ),
    ),
    "vaccine": (
        ["Researchers", "Doctors at the Kessington Institute", "Patients' groups", "Volunteers in the trial",
         "Independent experts", "Nurses in {city}", "Public health officials"],
        dict(
            neg=["said they were worried about the safety of the vaccine", "complained that information had been slow to arrive",
                 "described the pause in the vaccine trial as a painful setback", "demanded answers about the side effects",
                 "said the delay was frustrating for vulnerable patients"],
            neu=["explained how the vaccine trial had been designed", "said the vaccine data would be checked independently",
                 "were asked to report any side effects", "will follow the volunteers for a year",
                 "presented the vaccine trial at a scientific meeting", "said the regulator would have the final word"],
            pos=["said the vaccine results were better than they had hoped", "welcomed the vaccine as a great advance",
                 "praised the volunteers for their courage", "said the vaccine could save thousands of lives",
                 "celebrated the success of the vaccine trial", "said they were delighted and relieved"],
        ),
    ),
}
for _t, _actors, _acts in [
    ("politics", ["Members of parliament", "Opposition politicians", "Ministers", "Voters in {city}", "Commentators"],
     dict(neg=["accused the government of incompetence", "said the scandal was a disgrace", "were furious about the cuts"],
          neu=["debated the proposals for several hours", "asked for more details", "will vote on the plans next month"],
          pos=["welcomed the agreement", "praised the spirit of cooperation", "said the plans would help families"])),
    ("world", ["Diplomats", "Aid workers", "Residents near the border", "Officials in {city}", "Observers"],
     dict(neg=["reported heavy shelling overnight", "said the situation was desperate", "feared a wider war"],
          neu=["prepared for the next round of meetings", "said the details were still being discussed", "waited for a statement"],
          pos=["said the mood was hopeful", "welcomed the release of the prisoners", "praised the peaceful progress"])),
    ("business", ["Economists", "Investors", "Shoppers in {city}", "Workers at the plant", "Analysts"],
     dict(neg=["warned of a painful slowdown", "said rising prices were hurting families", "feared further job losses"],
          neu=["had expected the figures", "said the outlook was uncertain", "were waiting for the next data"],
          pos=["welcomed the strong figures", "said confidence was improving", "were delighted with the new jobs"])),
    ("science", ["Scientists", "Engineers", "Other researchers", "Students at the observatory"],
     dict(neg=["said the findings were alarming", "were bitterly disappointed", "warned of serious risks"],
          neu=["checked the measurements twice", "plan further observations", "shared the data with other teams"],
          pos=["said the discovery was thrilling", "celebrated the result", "praised the young team"])),
    ("health", ["Patients", "Nurses", "Doctors in {city}", "Hospital managers"],
     dict(neg=["said the strain on staff was unbearable", "complained of long and painful waits", "warned of a crisis"],
          neu=["reviewed the figures", "said the plans were being discussed", "will meet again next month"],
          pos=["welcomed the improvement", "said patients were happier", "praised the new wards"])),
    ("culture", ["Critics", "Visitors", "Artists", "Fans in {city}", "Organisers"],
     dict(neg=["said they were shocked and saddened", "criticised the decision angrily", "mourned the loss"],
          neu=["studied the programme", "bought tickets online", "will announce more details"],
          pos=["praised the brilliant performances", "enjoyed a joyful weekend", "said it was a wonderful success"])),
    ("sport", ["Fans", "Players", "Pundits", "Supporters in {city}"],
     dict(neg=["booed the team off the pitch", "said the performance was awful", "called for changes"],
          neu=["discussed the line-up", "travelled to the match", "expect a close game"],
          pos=["celebrated a famous win", "praised the brilliant team", "sang with joy after the match"])),
]:
    NARRATIVE[_t] = (_actors, _acts)
del _t, _actors, _acts

#: Background and explainer sentences per topic (tone-free), each used at most once per article.
CONTEXT: dict[str, list[str]] = {
    "flood": ["The Vell valley is home to about {m},000 people, most of them in small towns along the river.",
              "Heavy rain fell for {n} days in a row before the river broke its banks.",
              "The embankments were built in the 1960s and last strengthened twenty years ago.",
              "Forecasters had issued an amber warning for the valley the week before.",
              "Much of the lower town of Port Arden lies below the level of the river at high tide.",
              "Schools across the valley have been closed since the start of the flood.",
              "The regional government has asked the army for more boats and helicopters.",
              "A national appeal for flood victims was launched by the Red Cross.",
              "The main road between {city} and {other} remains closed to traffic.",
              "Engineers say the soil will take weeks to dry out."],
    "trade": ["Calvera is the country's third-largest trading partner.",
              "The last trade agreement between the two countries expired four years ago.",
              "Tariffs on cars were raised during a dispute over steel subsidies.",
              "The trade talks are led on each side by a chief negotiator and a team of specialists.",
              "Farm goods have long been the most sensitive part of any deal.",
              "Norvane Motors builds about {m},000 cars a year, many of them for export.",
              "Any agreement must be approved by both parliaments before it takes effect.",
              "Previous rounds of trade talks ended without a joint statement.",
              "The ports of Marrow Bay and {city} handle most of the goods traded between the two countries."],
    "election": ["The election is the first since the boundaries of the constituencies were redrawn.",
                 "Helena Voss has led the government for four years.",
                 "The Civic Alliance was founded a decade ago by a group of former ministers.",
                 "Campaign spending is capped at {m} million for each party.",
                 "Television debates have become a central part of the election campaign in recent years.",
                 "About {pct} percent of voters are expected to vote by post.",
                 "Opinion polls failed to predict the result of the last election.",
                 "The election commission has recruited {n},000 staff to run polling stations."],
    "vaccine": ["The Kessington Institute has worked on the vaccine for six years.",
                "The disease the vaccine targets puts thousands of people in hospital every winter.",
                "Most vaccines take ten years or more to develop.",
                "The trial is funded by the government and a group of charities.",
                "Older people and those with weak immune systems are most at risk.",
                "The regulator must approve any vaccine before it can be used outside a trial.",
                "Researchers hope to publish the full vaccine data in a medical journal.",
                "The trial recruited volunteers in {n} cities, including {city} and {other}."],
    "politics": ["The government holds a narrow majority in parliament.",
                 "The opposition has called for an independent inquiry.",
                 "The cabinet was reshuffled in the spring.",
                 "Parliament sits four days a week."],
    "world": ["The border dispute dates back more than fifty years.",
              "The UN has maintained a mission in the region since the last war.",
              "Earlier peace efforts collapsed amid mutual accusations."],
    "business": ["Norvane Motors is the region's largest private employer.",
                 "The central bank has raised rates four times in the past year.",
                 "Energy prices have been volatile since last winter."],
    "science": ["The Halden Observatory opened in 1962.",
                "Research funding has been flat for several years.",
                "The team includes researchers from {n} countries."],
    "health": ["The health service employs about {m},000 people.",
               "Demand for care rises every winter.",
               "The ministry has promised to recruit more nurses."],
    "culture": ["The festival was founded in 1978.", "The National Museum attracts about a million visitors a year.",
                "Ticket sales have recovered strongly in recent years."],
    "sport": ["Port Arden FC were promoted two seasons ago.", "The club's stadium was renovated last summer."],
}

#: Round-up sentences of the story lines: each may appear twice in an article, with other places.
ROUNDUP: dict[str, list[str]] = {
    "flood": ["In {city}, {n} families were moved to a sports hall overnight.",
              "In {city}, the water reached the first floor of homes near the river.",
              "Further downstream in {city}, volunteers filled sandbags through the night.",
              "In {city}, the power was cut to {m} homes as a precaution."],
    "trade": ["In {city}, exporters met officials to discuss the customs rules.",
              "Lorry drivers in {city} reported longer waits at the border crossing.",
              "In {city}, the chamber of commerce held a briefing for {n} local firms."],
    "election": ["In {city}, the main candidates held rallies within a few streets of each other.",
                 "Party workers in {city} said they had knocked on {m} doors in a single day.",
                 "In {city}, local radio hosted a debate between {n} candidates."],
    "vaccine": ["In {city}, {n} volunteers attended the clinic for their follow-up visit.",
                "Doctors in {city} said interest from volunteers had been strong."],
}

_MORE = {  # more material for the shorter background topics: (facts by tone, actions by tone, context)
    "politics": (dict(neg=["The row has overshadowed the government's plans for the autumn.", "Two more ministers are under investigation."],
                      neu=["The bill runs to more than {m} pages.", "A vote is expected before the summer break."],
                      pos=["The agreement was reached after weeks of patient negotiation.", "Charities welcomed the extra money for families."]),
                 dict(neg=["called the cuts cruel", "demanded the minister's resignation"],
                      neu=["asked for the figures to be published", "tabled dozens of amendments"],
                      pos=["thanked colleagues across the chamber", "said the reform was long overdue"]),
                 ["The last budget was passed by just {n} votes.", "Local councils say their budgets are stretched."]),
    "world": (dict(neg=["Thousands of people have been displaced by the fighting.", "Food prices in the border towns have doubled."],
                   neu=["The next meeting is scheduled for {month}.", "Both delegations brought legal advisers."],
                   pos=["Schools near the border reopened for the first time in a year.", "Traders returned to the border market."]),
              dict(neg=["described the shelling as the worst in months", "said the violence was spreading"],
                   neu=["exchanged documents", "agreed to meet again"],
                   pos=["said trust was slowly returning", "described the meeting as constructive and warm"]),
              ["The region has a population of about {m},000.", "Several neighbouring countries have offered to mediate."]),
    "business": (dict(neg=["Small firms say they are struggling to pay their energy bills.", "Orders fell for a fourth month."],
                      neu=["The figures cover the three months to the end of {month}.", "The company will publish full results next quarter."],
                      pos=["Orders rose at the fastest pace in two years.", "Wages are rising faster than prices again."]),
                 dict(neg=["warned of more closures", "said the news was a heavy blow for the town"],
                      neu=["compared the figures with last year", "expect little change next month"],
                      pos=["said the investment was a vote of confidence", "predicted a strong year"]),
                 ["The company was founded in Port Arden in 1921.", "Interest rates are at their highest level in a decade."]),
    "science": (dict(neg=["The lost instruments took eight years to build.", "Some species may not recover."],
                     neu=["The measurements were taken over {n} nights.", "The paper has {n} authors."],
                     pos=["The discovery was made by a doctoral student.", "The find has already inspired a new research project."]),
                dict(neg=["said the loss was hard to accept", "called for urgent action"],
                     neu=["will present the results at a conference", "said the data would be shared"],
                     pos=["described the moment of discovery as magical", "said the result was a gift to science"]),
                ["Telescopes in the hills above Halden benefit from clear, dry air.", "The observatory welcomes school groups every week."]),
    "health": (dict(neg=["Some hospitals have cancelled routine operations.", "Ambulances queued outside emergency departments."],
                    neu=["The ministry will publish regional figures next month.", "The clinic is open from eight until six."],
                    pos=["Patient satisfaction rose to its highest level in years.", "The new wards have more light and more space."]),
               dict(neg=["said they felt let down", "warned that staff were leaving"],
                    neu=["discussed the plans with managers", "were asked for their views"],
                    pos=["said the care was excellent", "thanked the staff warmly"]),
               ["The hospital in {city} was built in the 1970s.", "About {pct} percent of nurses work part time."]),
    "culture": (dict(neg=["The festival had run without interruption for decades.", "Several works are feared lost for good."],
                     neu=["Tickets go on sale in {month}.", "The exhibition will travel to {other} next year."],
                     pos=["Many screenings sold out within minutes.", "Young visitors made up almost half of the audience."]),
                dict(neg=["said they were heartbroken", "called the decision short-sighted"],
                     neu=["queued for tickets", "discussed the programme"],
                     pos=["applauded for several minutes", "said it was the best edition in years"]),
                ["Moreno's previous film was shot in the Vell valley.", "Wendt began writing after a career as a teacher."]),
    "sport": (dict(neg=["The defeat leaves the club in the bottom half of the table.", "Two players were sent off."],
                   neu=["The next home match is on {weekday}.", "The club has {n} matches left this season."],
                   pos=["Ilić has now scored {n} goals this season.", "The stadium was full for the first time this year."]),
              dict(neg=["left the stadium early", "criticised the defending"],
                   neu=["watched the training session", "discussed the transfer rumours"],
                   pos=["celebrated in the town centre", "praised the young players"]),
              ["The club was founded by dock workers in 1889.", "Whitfield took charge of the team three years ago."]),
}
for _t, (_facts, _acts, _ctx) in _MORE.items():
    for _tone in ("neg", "neu", "pos"):
        TOPICS[_t]["facts"][_tone] = TOPICS[_t]["facts"][_tone] + _facts[_tone]
        NARRATIVE[_t][1][_tone] = NARRATIVE[_t][1][_tone] + _acts[_tone]
    CONTEXT[_t] = CONTEXT[_t] + _ctx
del _t, _facts, _acts, _ctx, _tone, _MORE

_MORE_TITLES = {
    "flood": dict(neg=["Flood survivors in {city} describe night of terror", "Flood leaves {city} without clean water"],
                  neu=["Flood: army sends {n} more boats to the valley", "Flood repairs in {city} to start in {month}"],
                  pos=["Flood-hit {city} reopens its market", "Volunteers rebuild flood-damaged school in {city}"]),
    "trade": dict(neg=["Farmers protest in {city} as trade talks drag on", "Carmakers warn of job losses if trade talks fail"],
                  neu=["Trade talks: negotiators meet again in {city}", "Trade talks turn to customs rules"],
                  pos=["Trade talks: deal welcomed in {city}", "Shares in Norvane Motors jump on trade talks progress"]),
    "election": dict(neg=["Election rally in {city} ends in clashes", "Election scandal: calls for inquiry grow",
                          "Election debate descends into shouting match", "Smear claims dominate election race in {city}"],
                     neu=["Election: parties court voters in {city}", "Election: {n} days to go", "Election count: how it works",
                          "Election candidates set out plans for {city}", "Postal votes surge ahead of election"],
                     pos=["Election campaign draws big crowds in {city}", "First-time voters excited by election",
                          "Election hopefuls energise rally in {city}", "Volunteers sign up in record numbers for election"]),
    "vaccine": dict(neg=["Vaccine trial volunteers report side effects", "Vaccine trial pause worries patients in {city}"],
                    neu=["Vaccine trial: {n} hospitals take part", "Vaccine trial recruits volunteers in {city}"],
                    pos=["Vaccine hailed as breakthrough in {city}", "Vaccine trial results delight researchers"]),
    "politics": dict(neg=["Row over cuts hits {city} council", "Minister under fire over contract", "Protest in {city} over housing cuts"],
                     neu=["Parliament returns after recess", "Ministers meet unions in {city}", "Council in {city} sets budget"],
                     pos=["Free school meals extended to {n},000 children", "Minister praised for housing plan", "New bridge for {city} approved"]),
    "world": dict(neg=["Shelling hits border town", "Aid convoy attacked near border", "Talks fail as border tension rises"],
                  neu=["Envoy holds talks in {city}", "Summit agenda published", "Diplomats meet in {other}"],
                  pos=["Border crossing reopens", "Families reunited after prisoner swap", "Peace talks in {city} end on hopeful note"]),
    "business": dict(neg=["Shops in {city} close as costs bite", "Energy bills push firms to the brink", "Norvane Motors profit slumps"],
                     neu=["Jobless rate steady at {pct} percent", "Central bank minutes published", "Port of {city} reports quarterly traffic"],
                     pos=["New factory brings jobs to {city}", "Exports hit record high", "Start-ups in {city} attract investors"]),
    "science": dict(neg=["Glacier retreat alarms scientists", "Observatory funding cut", "Drought threatens rare wetland"],
                    neu=["Satellite data reveal ocean currents", "Observatory upgrades its telescope", "Scientists count seabirds off {city}"],
                    pos=["New species of frog found near {city}", "Observatory team wins award", "Comet visible over {city} delights stargazers"]),
    "health": dict(neg=["Emergency wards in {city} overwhelmed", "Ambulance delays anger families", "Clinic in {city} closes"],
                   neu=["Hospital in {city} names new director", "Ministry reviews staffing", "Doctors meet to discuss training"],
                   pos=["Cancer survival rates improve", "Hospital in {city} cuts waiting times", "New mental health service welcomed"]),
    "culture": dict(neg=["Theatre in {city} closes its doors", "Row over statue divides {city}", "Orchestra cancels tour"],
                    neu=["Library in {city} extends hours", "Book festival line-up announced", "Museum to lend paintings to {other}"],
                    pos=["Concert in {city} delights thousands", "Young poet wins prize", "Restored cinema reopens in {city}"]),
    "sport": dict(neg=["Port Arden FC lose derby", "Whitfield under pressure after defeat", "Late goal sinks Port Arden FC",
                       "Port Arden FC slip to {place}th place"],
                  neu=["Port Arden FC face {city} on {weekday}", "Ilić returns to training", "Whitfield signs new contract",
                       "Cup draw pairs Port Arden FC with {city}"],
                  pos=["Port Arden FC thrash {city}", "Whitfield celebrates {place}th win of the season", "Ilić named player of the month",
                       "Port Arden FC reach cup final"]),
}
for _t, _by_tone in _MORE_TITLES.items():
    for _tone, _titles in _by_tone.items():
        TOPICS[_t]["titles"][_tone] = TOPICS[_t]["titles"][_tone] + _titles
del _t, _by_tone, _tone, _titles, _MORE_TITLES

ROUNDUP["flood"] += ["In {city}, firefighters pumped water out of the hospital basement.",
                     "Schools in {city} were turned into shelters for {n} families.",
                     "The river in {city} peaked at {n} metres above its normal level."]
ROUNDUP["trade"] += ["Car dealers in {city} said customers were holding back until the trade talks ended.",
                     "Port workers in {city} handled {m} containers last week, close to normal."]
ROUNDUP["election"] += ["Turnout in {city} at the last election was {pct} percent.",
                        "Billboards in {city} were covered with the faces of the candidates."]
ROUNDUP["vaccine"] += ["The hospital in {city} has enrolled {m} volunteers so far."]

WHEN = ["", "", " on {weekday}", " this week", " over the weekend", " in recent days", " on {weekday} evening"]

BACKGROUND_WEIGHTS = {"politics": 3, "world": 3, "business": 3, "science": 2, "health": 2, "culture": 3, "sport": 2}
TONES = {"pos": "positive", "neg": "negative", "neu": "neutral"}
ORDINALS = ["second", "third", "fourth", "fifth", "sixth"]
PARTIES = ["the Civic Alliance", "the People's Party"]
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
        from .text import count_words

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

Generated by `python -m newsdesk.sample data/sample` (or `make sample`) from
`lib/newsdesk/sample.py` with a fixed seed ({seed}); running it again gives byte-identical files.
Do not edit these files by hand: change the generator and run it again.

**Everything here is invented.** The people, quotes, places (Kessington, Port Arden, the Vell
valley, Calvera...) and events are fiction, written to exercise the notebooks: {n} articles from
{first} to {last} in {n_sections} sections, several wire agencies, about 30 recurring speakers
quoted in the usual newsroom attribution forms, and four story lines that rise and fade
(`flood` in spring 2023, `trade talks` in summer, `election` in autumn, a `vaccine` trial in
February, June, September and January). `data/events.csv` marks their key dates.

`truth/quotes.jsonl` lists every quoted span the generator wrote (file, offsets into the article
body, text, canonical speaker, attribution form) and `truth/articles.jsonl` each article's
topic and intended tone; see the docstring of `newsdesk.sample` for the fields. The loader reads
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
    from . import config

    ap = argparse.ArgumentParser(prog="python -m newsdesk.sample", description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", nargs="?", default=str(config.SAMPLE_CORPUS), help="output folder (default: data/sample)")
    ap.add_argument("--seed", type=int, default=SEED, help=f"random seed (default: {SEED})")
    args = ap.parse_args(argv)
    arts = write_sample(args.outdir, args.seed)
    n_quotes = sum(len(a.quotes) for a in arts)
    print(f"wrote {len(arts)} articles and {n_quotes} quotes to {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
