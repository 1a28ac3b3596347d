"""Sentence splitting for news prose, by character offsets into the untouched text.

A regular expression finds every place a sentence could end; a short list of abbreviations and a
look at the next word decide whether it does. This is the approach measured best for news text
here (.99 precision at 4.5 MB/s): "U.S. Central Command", "Feb. 28", "Gen. Smith" and "KC-135s."
come out right, and quotations ending in `.”` close their sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from workbench.model import Span

# Words that end in a period without ending the sentence when a capitalised word follows.
TITLES = frozenset(
    """mr mrs ms dr prof gen lt col maj capt cmdr sgt cpl pvt adm rep sen gov pres supt insp
    det rev fr st sr jr hon amb brig mt ft ca approx est vs""".split()
)
# "No. 5", "Fig. 2": abbreviations only before a number ("said no. The" ends a sentence).
NUMBERED = frozenset("no nos fig figs art vol pp".split())
MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
# Abbreviations that usually sit inside a sentence but can end one ("...in the U.S. The").
INNER = frozenset("inc corp co ltd llc bros dept univ assn govt intl natl etc al".split())
# A sentence that starts with one of these is a new sentence even after "U.S." or "Corp.".
STARTERS = frozenset(
    """a an the this that these those it its he she they we i you there here his her their our
    but and or so yet if when while after before as at in on of for from by with without
    however meanwhile still also then now today yesterday tomorrow some many most all no one
    officials police authorities""".split()
)

#: Lines shorter than this are headings or captions, not hard-wrapped prose.
MIN_WRAP = 50

_OPENERS = "\"'“‘([«"
_CLOSERS = "\"'”’)]»"
# A run of terminal punctuation, any closing quotes or brackets, then the whitespace after it.
_END = re.compile(r"(?:\.{3}|…|[.!?])+[" + re.escape(_CLOSERS) + r"]*(?=\s|$)")
_LINE_BREAK = re.compile(r"\n")
_LIST_MARK = re.compile(r"[ \t]*(?:#{1,6}|>+|[-*+•]|\d{1,3}[.)])[ \t]+")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_HEADING = re.compile(r"[ \t]*#{1,6}[ \t]")
_DOTTED = re.compile(r"(?:[A-Za-z]\.){2,}$")
_NEXT_WORD = re.compile(r"\s*(\S*)")
#: A letter or digit of any script: what `str.isalnum` accepts (`\w` is that and "_").
_ALNUM = re.compile(r"[^\W_]")


def split(text: str) -> list[Span]:
    """Split `text` into sentences.

    Spans never include surrounding whitespace, list bullets or heading marks, so a span is
    exactly the words an analyst would quote.
    """
    return list(iter_spans(text))


def iter_spans(text: str) -> Iterator[Span]:
    for start, end in _segments(text):
        for span in _split_segment(text, start, end):
            yield from _capped(text, span)


#: No sentence is longer than this: a run-on page (scraped without punctuation, a hostile
#: megabyte with no full stop) is cut into pieces an analyst can read and a list can show.
MAX_SENTENCE = 1000
_CLAUSE_BREAK = re.compile(r"[;:,)\]”’\"]\s|\s[–—-]+\s")


def _capped(text: str, span: Span) -> Iterator[Span]:
    """`span`, or, if it is longer than `MAX_SENTENCE`, pieces of it cut after the last clause
    break (else the last space, else anywhere) before the limit."""
    start, end = span.start, span.end
    if end - start <= MAX_SENTENCE:
        yield span
        return
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cut = None
        for match in _CLAUSE_BREAK.finditer(text, start + MAX_SENTENCE // 2, limit):
            cut = match.end()
        if cut is None:
            space = text.rfind(" ", start + MAX_SENTENCE // 2, limit)
            cut = space + 1 if space > 0 else limit
        if piece := _trimmed(text, start, cut):
            yield piece
        start = cut
    if piece := _trimmed(text, start, end):
        yield piece


def _segments(text: str) -> Iterator[tuple[int, int]]:
    """Stretches of text that no sentence crosses: paragraphs, headings, list items.

    A blank line always ends a sentence. A single line break ends one only when it ends a
    heading, a caption or a list item; a hard-wrapped paragraph (lines of about the same
    length, or a next line that starts in lower case) reads on across the break.
    """
    lines = _lines(text)
    block: list[tuple[int, int]] = []
    for line in lines + [(len(text), len(text))]:
        if line[0] == line[1] or not text[line[0] : line[1]].strip():
            yield from _block_segments(text, block)
            block = []
        else:
            block.append(line)


def _lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _LINE_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _block_segments(text: str, block: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    if not block:
        return
    widest = max(end - start for start, end in block)
    seg_start = block[0][0]
    for (start, end), (next_start, next_end) in zip(block, block[1:]):
        following = text[next_start:next_end]
        wrapped = (
            following[:1].islower()
            or (following[:1] in " \t" and not _LIST_MARK.match(following))
            or (end - start >= 0.6 * widest and end - start >= MIN_WRAP)
        )
        if not wrapped or _LIST_MARK.match(following) or _HEADING.match(text, start, end):
            yield seg_start, end
            seg_start = next_start
    yield seg_start, block[-1][1]


def _split_segment(text: str, start: int, end: int) -> Iterator[Span]:
    marker = _LIST_MARK.match(text, start, end)
    if marker:
        start = marker.end()
    sentence_start = start
    for match in _END.finditer(text, start, end):
        if _ends_sentence(text, match, end):
            span = _trimmed(text, sentence_start, match.end())
            if span:
                yield span
            sentence_start = match.end()
    span = _trimmed(text, sentence_start, end)
    if span:
        yield span


def _ends_sentence(text: str, match: re.Match[str], line_end: int) -> bool:
    after = _next_word(text, match.end(), line_end)
    if not after:
        return True
    first = after[0]
    punct = match.group()
    if first.islower():
        return False
    if "." not in punct.rstrip(_CLOSERS) or punct.startswith("..") or punct.startswith("…"):
        # ! ? and ellipses end a sentence when a capital or a quote follows.
        return True
    if punct.rstrip(_CLOSERS) != punct:
        # `.”` or `.)` closes a quotation that ends the sentence.
        return True
    return not _is_abbreviation(text, match.start() + 1, after)


def _next_word(text: str, pos: int, line_end: int) -> str:
    word = _NEXT_WORD.match(text, pos, line_end).group(1)  # type: ignore[union-attr]  # it matches anywhere
    return word.lstrip(_OPENERS)[:40] or word


def _is_abbreviation(text: str, period_end: int, after: str) -> bool:
    """Is the period at `period_end - 1` part of an abbreviation rather than a full stop?"""
    window = text[max(0, period_end - 24) : period_end]
    match = _WORD_BEFORE.search(window)
    if not match:
        return False
    word = match.group(1)
    lowered = word.lower().rstrip(".")
    next_word = after.strip(_CLOSERS + ".,;:").lower()
    starts_sentence = next_word in STARTERS
    if lowered in NUMBERED:
        return after[0].isdigit()
    if lowered in TITLES:
        return True
    if lowered in MONTHS:
        return after[0].isdigit() or not starts_sentence
    if _DOTTED.search(word + "."):
        # U.S., U.K., a.m.: an initialism ends the sentence only before a sentence opener.
        return not starts_sentence
    if len(word) == 1 and word.isupper():
        # A middle initial: "John F. Kennedy".
        return not starts_sentence
    if lowered in INNER:
        return not starts_sentence
    return False


def _trimmed(text: str, start: int, end: int) -> Span | None:
    piece = text[start:end]
    words = piece.strip()
    if not _ALNUM.search(words):
        return None
    start += len(piece) - len(piece.lstrip())
    return Span(start, start + len(words))
