"""Check-worthiness: how much a sentence deserves a fact-checker's time, from 0 to 1.

A logistic model over the cues in `workbench.extract`. The weights below are set by hand from
what fact-checkers look for (a quantity, a date, a named source, an event, a cause) and against
what they skip (questions, opinions in the first person, "little is known" filler).
"""

from __future__ import annotations

import math

from workbench.extract import Cues, cues

THRESHOLD = 0.5

BIAS = -1.8
WEIGHTS = {
    "number": 1.7,
    "date": 0.8,
    "source": 0.9,
    "proper": 0.3,  # per capitalised word, up to four
    "event": 0.8,  # per event verb, up to two
    "negation": 0.4,
    "negated_cause": 0.8,  # "not due to hostile fire": a denial is a claim
    "reported_fact": 0.5,  # "X is reporting that ..."
    "designator": 0.3,  # KC-135, F-15E
    "pronoun_start": -0.5,
    "cause": 1.0,
    "comparison": 0.6,
    "prediction": 0.3,
    "quote": 0.3,
    "rule": 0.4,
    "short": -1.5,  # under six words
    "question": -1.5,
    "first_person": -0.8,
    "second_person": -0.8,
    "no_information": -3.0,
}


def features(c: Cues) -> dict[str, float]:
    return {
        "number": float(bool(c.numbers)),
        "date": float(bool(c.dates)),
        "source": float(bool(c.sources) or c.attribution),
        "proper": float(min(c.proper, 4)),
        "event": float(min(c.events, 2)),
        "negation": float(c.negation and not c.no_information),
        "negated_cause": float(c.cause and c.negation),
        "reported_fact": float(c.reported_fact),
        "designator": float(c.designators > 0),
        "pronoun_start": float(c.pronoun_start),
        "cause": float(c.cause),
        "comparison": float(c.comparison),
        "prediction": float(c.prediction),
        "quote": float(c.quote),
        "rule": float(c.rule),
        "short": float(c.words < 6),
        "question": float(c.question),
        "first_person": float(c.first_person),
        "second_person": float(c.second_person),
        "no_information": float(c.no_information),
    }


def score_cues(c: Cues) -> float:
    z = BIAS + sum(WEIGHTS[name] * value for name, value in features(c).items())
    return 1.0 / (1.0 + math.exp(-z))


def score(sentence: str) -> float:
    """Check-worthiness of one sentence in [0, 1]."""
    return score_cues(cues(sentence))
