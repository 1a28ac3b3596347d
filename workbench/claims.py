"""Finding claims: every sentence of an article, scored, typed and marked claim or not.

Data flows one way: the article text goes in, `FoundClaim`s with exact offsets come out
(`text[c.start:c.end] == c.text`). Nothing here knows about storage or screens.
"""

from __future__ import annotations

from workbench import checkworthy, sentences
from workbench.extract import Cues, cues
from workbench.model import FoundClaim, Kind


def find_claims(text: str, threshold: float = checkworthy.THRESHOLD) -> list[FoundClaim]:
    """Score every sentence of `text`; those at or above `threshold` are claims."""
    found = []
    for span in sentences.iter_spans(text):
        sentence = text[span.start : span.end]
        c = cues(sentence)
        score = round(checkworthy.score_cues(c), 3)
        found.append(
            FoundClaim(
                start=span.start,
                end=span.end,
                text=sentence,
                score=score,
                kind=classify(c),
                is_claim=score >= threshold,
                numbers=c.numbers,
                dates=c.dates,
                sources=c.sources,
            )
        )
    return found


def analyse(sentence: str) -> FoundClaim:
    """What the finder makes of one sentence on its own (an analyst's promoted selection)."""
    c = cues(sentence)
    score = round(checkworthy.score_cues(c), 3)
    return FoundClaim(0, len(sentence), sentence, score, classify(c), True, c.numbers, c.dates, c.sources)


def classify(c: Cues) -> Kind:
    """The claim's kind, most specific first: a hedged forecast is a prediction even if it
    has a number in it; a number is a quantity even if somebody said it."""
    if c.first_person and not c.sources:
        return Kind.PERSONAL
    if c.prediction and not c.events and not c.numbers:
        return Kind.PREDICTION
    if c.cause:
        return Kind.CAUSE
    if c.comparison:
        return Kind.COMPARISON
    if c.numbers:
        return Kind.QUANTITY
    if c.quote or c.sources:
        return Kind.QUOTE
    if c.rule:
        return Kind.RULE
    if c.events or c.dates:
        return Kind.EVENT
    if c.prediction:
        return Kind.PREDICTION
    return Kind.OTHER
