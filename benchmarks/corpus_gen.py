"""Deterministic synthetic news corpus for benchmarks: N articles of ~900 words, seeded.

The sentences are templates written for this project (not any outlet's text) about a regional
diplomacy story, with slots for entities, places, numbers, days and evaluative words, so every
article is distinct (textstat's per-text caches cannot help) and the text has what the
extractors meet in real news: curly quotes and apostrophes, em dashes, abbreviations ("U.S.",
"Mr."), decimals, direct, indirect and scare quotes, and entity mentions with labels.

Because the generator writes the text it also knows the ground truth: every entity mention and
quote span (original offsets), and paragraph/sentence spans. Benchmarks can feed those to an
extractor that ``requires`` labels or quotes before those extractors exist, or run the real
pipeline on :attr:`GeneratedArticle.article` alone.

Usage::

    from benchmarks.corpus_gen import generate
    corpus = generate(1000, seed=0)             # list[GeneratedArticle]
    docs = [g.document() for g in corpus]        # framing.text.segment.Document
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

from framing.record import Article

__all__ = ["GeneratedArticle", "GenMention", "GenQuote", "generate", "TEMPLATES"]


@dataclass(frozen=True)
class GenMention:
    """An entity mention as the labels extractor reports it."""

    entity: str
    start: int
    end: int
    surface: str
    label: str


@dataclass(frozen=True)
class GenQuote:
    """A quote as the quotes extractor reports it (content span, marks excluded)."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class GeneratedArticle:
    """One synthetic article with its ground truth (all spans in ``article.text`` offsets)."""

    article: Article
    paragraphs: tuple[tuple[int, int], ...]
    sentences: tuple[tuple[int, int], ...]
    mentions: tuple[GenMention, ...]
    quotes: tuple[GenQuote, ...]

    def document(self, *, segmenter: bool = True) -> Any:
        """The :class:`framing.text.segment.Document`: from ``build_document`` when ``segmenter`` and
        it is available, else from the generator's own paragraph/sentence spans."""
        import framing.text.segment as segment
        from framing.text.textnorm import normalize

        if segmenter and hasattr(segment, "build_document"):
            return segment.build_document(self.article)
        return segment.Document(
            self.article, normalize(self.article.text), self.paragraphs, self.sentences
        )


# entity slot -> (canonical entity, [(text before, name, text after, label), ...])
ENTITIES: dict[str, tuple[str, list[tuple[str, str, str, str]]]] = {
    "hamas": (
        "Hamas",
        [
            ("", "Hamas", "", ""),
            ("militant group ", "Hamas", "", "militant"),
            ("the Palestinian resistance movement ", "Hamas", "", "resistance"),
            ("Islamist group ", "Hamas", "", "Islamist"),
            ("", "Hamas", " officials", ""),
        ],
    ),
    "syria": (
        "Syrian state",
        [
            ("the ", "Syrian government", "", "government"),
            ("the ", "Syrian regime", "", "regime"),
            ("", "Damascus", "", ""),
            ("Syrian ", "authorities", "", "authorities"),
        ],
    ),
    "assad": (
        "Bashar al-Assad",
        [
            ("President ", "Bashar al-Assad", "", "President"),
            ("", "Assad", "", ""),
            ("regime leader ", "Bashar al Assad", "", "regime"),
            ("Mr. ", "Assad", "", ""),
        ],
    ),
    "israel": (
        "Israel",
        [
            ("", "Israel", "", ""),
            ("the ", "Israeli government", "", "government"),
            ("", "Israeli", " officials", ""),
        ],
    ),
    "iran": (
        "Iran",
        [("", "Iran", "", ""), ("", "Tehran", "", ""), ("the ", "Iranian regime", "", "regime")],
    ),
    "hezbollah": (
        "Hezbollah",
        [
            ("Lebanon’s ", "Hezbollah", "", ""),
            ("the militant group ", "Hezbollah", "", "militant"),
            ("", "Hezbollah", " fighters", "fighter"),
        ],
    ),
    "turkey": ("Turkey", [("", "Turkey", "", ""), ("", "Türkiye", "", ""), ("", "Ankara", "", "")]),
    "us": (
        "United States",
        [("the ", "U.S.", "", ""), ("", "Washington", "", ""), ("the ", "United States", "", "")],
    ),
    "un": ("United Nations", [("the ", "United Nations", "", ""), ("the ", "U.N.", "", "")]),
}
FILLERS: dict[str, list[str]] = {
    "place": [
        "Damascus",
        "Beirut",
        "Gaza City",
        "Doha",
        "Cairo",
        "Istanbul",
        "Amman",
        "Aleppo",
        "Idlib",
        "the West Bank",
        "Ramallah",
        "Tehran",
    ],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "month": ["January", "March", "May", "June", "August", "October", "December"],
    "year": [str(y) for y in range(2005, 2024)],
    "num": [
        "two",
        "three",
        "four",
        "five",
        "dozens of",
        "hundreds of",
        "12",
        "40",
        "1,200",
        "3.5 million",
        "more than 300",
    ],
    "official": [
        "a senior official",
        "the spokesman",
        "one analyst",
        "a diplomat",
        "the foreign minister",
        "a resident",
        "the movement’s deputy leader",
        "a Western diplomat",
        "an aid worker",
        "the negotiator",
    ],
    "said": [
        "said",
        "told reporters",
        "claimed",
        "stressed",
        "insisted",
        "added",
        "warned",
        "noted",
        "told The Associated Press",
        "admitted",
    ],
    "pos": [
        "historic",
        "positive",
        "constructive",
        "warm",
        "successful",
        "hopeful",
        "peaceful",
        "important",
        "welcome",
        "friendly",
    ],
    "neg": [
        "brutal",
        "bloody",
        "devastating",
        "hostile",
        "deadly",
        "bitter",
        "violent",
        "catastrophic",
        "tragic",
        "dangerous",
    ],
    "noun": [
        "reconciliation",
        "normalisation",
        "rapprochement",
        "ceasefire",
        "agreement",
        "delegation",
        "offensive",
        "blockade",
        "reconstruction",
        "negotiations",
    ],
}

#: Sentence templates. {slot} fills; [[...]] direct quote, <<...>> indirect quote content,
#: ((...)) scare quote. The first character is capitalised after filling.
TEMPLATES: tuple[str, ...] = (
    "{hamas} sent a delegation to {place} on {day}, the first such visit in a decade.",
    "Two senior officials from {hamas} met {assad} in {place} on {day}.",
    "The visit marks a {pos} step in the {noun} between {hamas} and {syria}.",
    "[[We are restoring our relations with Syria, and we are proud of this step,]] {official} "
    "{said}.",
    "[[This is a {pos} day for our people and for the Palestinian cause,]] {official} {said}.",
    "[[We have overcome the past,]] {official} {said}.",
    "{official} {said} <<the meeting opened a new chapter for the region>>.",
    "{official} {said} <<the {noun} would not change, whatever the circumstances>>.",
    "{hamas} left {place} in {year} after it sided with armed opposition forces seeking to oust "
    "{assad}.",
    "The move angered {iran}, a main backer of both {hamas} and {syria}.",
    "The {noun} was mediated by {hezbollah}, a close ally of {iran} and of {assad}.",
    "{iran} calls the alliance an ((axis of resistance)) against {israel}.",
    "{hamas}, which rules the besieged Gaza Strip, has fought four wars with {israel} since "
    "{year}.",
    "The {neg} civil war in Syria has killed {num} people and displaced millions.",
    "Rights groups accuse {syria} of {neg} crackdowns, mass arrests and torture.",
    "{israel} has carried out {num} strikes on targets in Syria in recent years.",
    "The war began in {month} {year} with largely peaceful protests that were met with force.",
    "Critics {said} <<the visit was a {neg} betrayal of Syrians who died in the uprising>>.",
    "[[It’s a {neg} mistake, and they aren’t going to be forgiven for it,]] {official} {said}.",
    "[[They aren’t good partners and they never were,]] {official} {said}.",
    "[[We don’t see this as a reward for anyone,]] {official} {said}, adding that talks would go "
    "on.",
    "Many residents of {place} said they were tired of war and hoped for a {pos} future.",
    "The talks lasted about {num} hours, according to people familiar with the meeting.",
    "Neither side published a joint statement after the meeting in {place}.",
    "{turkey} and {iran} have both sought a role in the {noun} talks.",
    "{us} officials {said} <<they were watching the {noun} closely>>.",
    "{un} envoy said the humanitarian situation in northern Syria remains {neg}.",
    "Aid agencies estimate that {num} people depend on deliveries through a single border "
    "crossing.",
    "The group’s leaders — long based in {place} — moved abroad after the rift.",
    "It was not immediately clear whether the delegation would return to {place}.",
    "Analysts describe the {noun} as pragmatic rather than ideological.",
    "{official} {said} <<the decision had been taken after long internal debate>>.",
    "The decision divided the movement’s base, with some members calling it a ((necessary evil)).",
    "Some observers welcomed the {pos} tone of the statements.",
    "Others warned that the {noun} could prove fragile if regional tensions rise.",
    "Prices in {place} have risen sharply, and electricity is available for only a few hours a "
    "day.",
    "The economy has shrunk by more than half since {year}, the World Bank estimates.",
    "A ceasefire brokered by {turkey} and Russia has largely held in the north-west.",
    "Mr. Haniyeh has not visited Syria since {year}.",
    "Khalil al-Hayya, who heads the group’s Arab relations office, led the delegation.",
    "The U.S. and the EU list {hamas} as a terrorist organisation.",
    "{hamas} rejects that designation and calls its armed wing a ((resistance)) force.",
    "The {neg} fighting in {place} left entire neighbourhoods in ruins.",
    "Hospitals reported shortages of fuel, medicine and clean water.",
    "Families gathered outside the ministry in {place} to demand news of missing relatives.",
    "State media broadcast footage of the delegation arriving at the presidential palace.",
    "The footage showed {assad} smiling and shaking hands with each visitor.",
    "{syria} has regained control of most of the country with help from Russia and {iran}.",
    "Several Arab states have restored ties with {syria} over the past {num} years.",
    "{official} {said} <<more visits were expected in the coming months>>.",
    "[[Our doors are open to everyone who respects our sovereignty,]] {official} {said}.",
    "[[There is no place for revenge; we want peace and dignity,]] {official} {said}.",
    "[[The occupation is the enemy, not our brothers in Syria,]] {official} {said}.",
    "[[We will not accept threats, and we will not be silent about crimes,]] {official} {said}.",
    "Relations had been frozen since {year}.",
    "Talks resumed quietly last year.",
    "The meeting was brief.",
    "No date was set for a second round.",
    "Security was tight across {place} during the visit.",
    "Streets near the palace were closed for several hours on {day}.",
    "Reporters were not allowed to attend the meeting, and no questions were taken.",
    "The statement praised the {pos} atmosphere and the {pos} exchange of views.",
    "Opposition activists described the visit as {neg} and shameful.",
    "The opposition’s exiled leadership in {place} issued a short statement condemning the talks.",
    "Photographs from the meeting were shared widely on social media within minutes.",
    "The number of refugees in neighbouring countries stands at about {num} million.",
    "Lebanon hosts roughly 1.5 million Syrian refugees, according to government estimates.",
    "Inflation, a collapsing currency and sanctions have deepened the humanitarian crisis.",
    "Sanctions imposed by {us} remain in place despite appeals from aid groups.",
    "Diplomats in {place} said the {noun} reflected a broader regional realignment.",
    "The shift comes as {israel} normalises relations with several Gulf states.",
    "At the time, {hamas} publicly backed the uprising against {assad}, a decision that enraged "
    "{syria}.",
    "The group’s political bureau later moved to Doha, where it remains.",
    "{official} {said} <<there was no contradiction between good ties with Damascus and support "
    "for Syrians>>.",
    "Residents in the camp said they had not received food aid for {num} weeks.",
    "The agreement includes provisions on prisoners, reconstruction and the return of displaced "
    "families.",
    "Observers were cautious, noting that earlier {noun} efforts collapsed within months.",
    "A {pos} breakthrough was announced late on {day}, but details remained scarce.",
    "Speaking to reporters in {place} after the meeting, {official} {said} <<the group had "
    "decided to turn the page on years of estrangement and would work with all parties that "
    "supported the Palestinian people and their right to self-determination>>.",
    "The rift between {hamas} and {syria} opened in {year}, when the group refused to back the "
    "crackdown on protesters and its leaders left for Qatar and Turkey, a decision that cost it "
    "one of its most important sources of money, weapons and political cover.",
    "Since the start of the conflict, {num} people have been killed, more than half of the "
    "country’s pre-war population has been forced from their homes, and entire cities have been "
    "reduced to rubble by air strikes and artillery.",
    "[[We appreciate every effort that brings the nation together, and we believe that unity in "
    "the face of the occupation is more important than the disagreements of the past,]] "
    "{official} {said}.",
    "According to a statement carried by the official news agency, {assad} told the visitors that "
    "{syria} would continue to support the Palestinian cause despite the war and the sanctions.",
    "Western governments, which cut ties with {syria} early in the war, have shown little "
    "appetite for normalisation, though some Arab governments have moved in the opposite "
    "direction in recent years.",
    "The humanitarian situation has worsened since the earthquake that struck southern Turkey "
    "and northern Syria in {month}, killing tens of thousands of people and leaving many more "
    "without shelter, water or heating.",
)

_TOKEN = re.compile(r"\{(\w+)\}|\[\[|\]\]|<<|>>|\(\(|\)\)")
_OPEN = {"[[": ("direct", "“"), "<<": ("indirect", ""), "((": ("scare", "“")}
_CLOSE = {"]]": "”", ">>": "", "))": "”"}


def _render(template: str, rng: random.Random, base: int):
    """Fill one template; return (text, mentions, quotes) with offsets shifted by ``base``."""
    out: list[str] = []
    pos = 0
    mentions: list[GenMention] = []
    quotes: list[GenQuote] = []
    open_quote: tuple[str, int] | None = None

    def emit(piece: str) -> None:
        nonlocal pos
        out.append(piece)
        pos += len(piece)

    last = 0
    for m in _TOKEN.finditer(template):
        emit(template[last : m.start()])
        last = m.end()
        token = m.group(0)
        slot = m.group(1)
        if slot in ENTITIES:
            entity, variants = ENTITIES[slot]
            before, name, after, label = rng.choice(variants)
            emit(before)
            mentions.append(GenMention(entity, base + pos, base + pos + len(name), name, label))
            emit(name)
            emit(after)
        elif slot is not None:
            emit(rng.choice(FILLERS[slot]))
        elif token in _OPEN:
            kind, mark = _OPEN[token]
            emit(mark)
            open_quote = (kind, pos)
        else:
            assert open_quote is not None, template
            kind, start = open_quote
            quotes.append(GenQuote(kind, base + start, base + pos))
            emit(_CLOSE[token])
            open_quote = None
    emit(template[last:])
    text = "".join(out)
    text = text[:1].upper() + text[1:]
    return text, mentions, quotes


def _outlet_name(index: int, outlets: int) -> str:
    if outlets == 5:
        return f"Outlet {'ABCDE'[index % 5]}"
    return f"Outlet {index % outlets:03d}"


def _article(
    index: int, rng: random.Random, target_words: int, *, outlets: int = 5, story_size: int = 5,
    one_paragraph: bool = False,
) -> GeneratedArticle:
    parts: list[str] = []
    pos = 0
    paragraphs, sentences, mentions, quotes = [], [], [], []
    words = 0

    def add_paragraph(templates: list[str]) -> None:
        nonlocal pos, words
        if parts:
            parts.append(" " if one_paragraph else "\n")
            pos += 1
        p_start = pos
        for j, template in enumerate(templates):
            if j:
                parts.append(" ")
                pos += 1
            text, ms, qs = _render(template, rng, pos)
            sentences.append((pos, pos + len(text)))
            mentions.extend(ms)
            quotes.extend(qs)
            parts.append(text)
            pos += len(text)
            words += len(text.split())
        paragraphs.append((p_start, pos))

    headline = rng.choice(TEMPLATES[:13]).rstrip(".")
    add_paragraph([headline])
    while words < target_words:
        add_paragraph(rng.choices(TEMPLATES, k=rng.choice((1, 1, 2, 2, 2, 3))))
    text = "".join(parts)
    if one_paragraph:  # a single paragraph: the spans' paragraph is the whole text
        paragraphs = [(0, len(text))]
    article = Article(
        id=f"gen{index:06d}", outlet=_outlet_name(index, outlets), text=text,
        story=f"story{index // story_size:05d}",
    )
    return GeneratedArticle(
        article, tuple(paragraphs), tuple(sentences), tuple(mentions), tuple(quotes)
    )


def generate(
    n: int,
    *,
    seed: int = 0,
    target_words: int = 900,
    outlets: int = 5,
    story_size: int = 5,
    long_records: int = 0,
    long_words: int = 800_000,
) -> list[GeneratedArticle]:
    """Generate ``n`` distinct articles of about ``target_words`` words (same seed, same corpus).

    Args:
        n: Number of articles.
        seed: Random seed; the corpus is a pure function of the arguments.
        target_words: Whitespace words per article (each stops at the first paragraph reaching it).
        outlets: Number of outlets, assigned in turn (``Outlet A``..``E`` for 5, else
            ``Outlet 000``...).
        story_size: Consecutive articles sharing a story (5: one per outlet of the default
            corpus; hundreds: topic-wide stories that span many outlets).
        long_records: How many of the articles (spread evenly) are one-paragraph texts of about
            ``long_words`` words (800,000 words is about 5 MB), as scraped corpora without
            paragraph breaks have.
        long_words: Words of each long record.

    Returns:
        The articles with their ground-truth spans.
    """
    if n < 0 or target_words < 1 or outlets < 1 or story_size < 1 or long_records < 0:
        raise ValueError("n, long_records must be >= 0 and target_words, outlets, story_size >= 1")
    rng = random.Random(seed)
    step = max(1, n // long_records) if long_records else 0
    long_at = {i * step + step // 2 for i in range(long_records)} if long_records else set()
    return [
        _article(i, rng, long_words if i in long_at else target_words, outlets=outlets,
                 story_size=story_size, one_paragraph=i in long_at)
        for i in range(n)
    ]
