"""Finding claims: every sentence of an article, scored, typed and marked claim or not.

Data flows one way: the article text goes in, `FoundClaim`s with exact offsets come out
(`text[c.start:c.end] == c.text`). Nothing here knows about storage or screens.
"""

from __future__ import annotations

from workbench import checkworthy, sentences
from workbench.extract import Cues, cues
from workbench.model import FoundClaim, Kind


def find_claims(text: str, threshold: float | None = None) -> list[FoundClaim]:
    """Score every sentence of `text` (one batch); those at or above `threshold` are claims."""
    model = checkworthy.model()
    threshold = model.threshold if threshold is None else threshold
    spans = list(sentences.iter_spans(text))
    texts = [text[span.start : span.end] for span in spans]
    found = []
    for span, sentence, score in zip(spans, texts, model.score_many(texts)):
        c = cues(sentence)
        score = round(score, 3)
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


def classify(c: Cues) -> Kind:
    """The claim's kind after Full Fact's types, most specific first: a hedged forecast is a
    prediction even if it has a number in it; a number is a quantity even if somebody said it."""
    if c.first_person and not c.sources:
        return Kind.PERSONAL
    if c.prediction and not c.events and not c.numbers:
        return Kind.PREDICTION
    if c.cause:
        return Kind.CAUSE
    if c.numbers or c.comparison:
        return Kind.QUANTITY
    if c.quote or c.sources:
        return Kind.QUOTE
    if c.rule:
        return Kind.RULE
    if c.prediction and not c.events:
        return Kind.PREDICTION
    return Kind.OTHER
