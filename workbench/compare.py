"""Where two statements of one fact disagree: each is read into slots, and the slots they share
are compared, not their words.

A slot is something a statement says that another can say differently: how many of a thing
(with its hedge: "at least 20" is 20 or more, "about 180" a few either side), which one of a
series ("the fourth"), a year, a date, a weekday, a direction ("western Chad"), a place, who did
it, whether the predicate the two share is negated, and whether the statement denies what the
other asserts. Two slots are the same slot only when they count the same thing or sit by the
same predicate: "injuring 162 others" and "injuring 155" are, "190 people were taken to
hospitals" and "permission to have only 150 people" are not, and a "not" scoping another
predicate than the one both statements share says nothing about their agreement.

This module only reads and compares; whether two statements are about the same fact at all is
the aligner's question (`workbench.align`), which also asks the matcher whether they would
state the same fact if a differing slot agreed (`Difference` keeps where each value sits, so the
aligner can make it agree). Nothing here knows about storage or screens.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz

from workbench import extract, gazetteer
from workbench.match import STOP_WORDS

# -- words ------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """A word's stem, lower-cased, so that one word's forms meet: "ripped", "rips" and "rip";
    "serving" and "serve"; "injuries" and "injury". Lighter than Porter's, and enough to tell
    whether two statements use the same predicate."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("es") and word[-3] in "sxz" or word.endswith(("ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    elif word.endswith("ied") and len(word) > 4:
        word = word[:-3] + "y"
    else:
        for suffix in ("ing", "ed"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("eed"):
                word = word[: -len(suffix)]
                if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                    word = word[:-1]  # "ripped", "ripping": "rip"
                break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


_IRREGULAR = {"died": "die", "dies": "die", "dying": "die", "people": "person", "men": "man", "women": "woman",
              "children": "child", "lives": "liv", "paid": "pay", "went": "go", "gone": "go", "took": "take",
              "taken": "take", "flew": "fly", "flown": "fly", "fell": "fall", "fallen": "fall", "shot": "shoot",
              "left": "leave", "won": "win", "lost": "lose", "found": "find", "others": "other", "news": "news",
              "was": "was", "has": "has", "is": "is", "does": "does", "this": "this", "us": "us", "its": "its"}

_TOKEN = re.compile(r"[ap]\.m\.|\$|%|\d+/\d+|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\w+(?:[-’']\w+)*|[^\w\s]")
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?$|\d+(?:\.\d+)?$")
_YEAR = re.compile(r"(?:1[89]|20)\d\d$")
_ORDINAL_DIGITS = re.compile(r"(\d+)(?:st|nd|rd|th)$")
_FRACTION = re.compile(r"(\d{1,9})/(\d{1,9})$")

_UNITS_WORDS = extract.NUMBER_VALUES | {"dozen": 12, "single": 1, "both": 2}
_SCALES = extract.SCALES
#: Plurals that count without a number: "hundreds of people" is somewhere in 200..999.
_VAGUE = {"dozens": (24, 144), "scores": (40, 200), "hundreds": (200, 999), "thousands": (2_000, 99_999),
          "millions": (2_000_000, 999_999_999), "billions": (2_000_000_000, 999_999_999_999)}
_ORDINALS = extract.ORDINAL_VALUES
_PERCENT = frozenset({"%", "percent", "pct"})  # "per cent", two words, is read where it is met
#: Words an amount can start with (digits aside).
_NUMBER_STARTS = frozenset(_UNITS_WORDS) | frozenset(_VAGUE) | {"a", "an", "half"}
#: Heads that do not say what is counted: the predicate must ("162 others were injured").
_GENERIC = frozenset(
    "people person persons other others individual individuals one ones time times year years month months week "
    "weeks day days hour hours minute minutes percent % point points dollar dollars $ euro euros pound pounds "
    "mile miles kilometer kilometers kilometre kilometres meter meters metre metres feet foot ton tons tonne "
    "tonnes case cases more".split()
)
#: Predicates that report a statement rather than state a fact: "said Friday" is when it was said.
_SAYING = frozenset(_stem(w) for w in extract.SAY_WORDS - {
    "found", "determined", "showed", "shows", "estimated", "estimates", "claimed", "claims", "denied", "denies"})
#: Words that carry a fact's predicate to the same class: a toll is a toll however it is worded.
_ROLE_CLASSES = {
    **dict.fromkeys(("kill", "dead", "die", "death", "fatal", "fatality", "toll", "liv", "perish"), "killed"),
    **dict.fromkeys(("injur", "injury", "hurt", "wound"), "injured"),
    **dict.fromkeys(("miss", "missing", "unaccount"), "missing"),
    **dict.fromkeys(("arrest", "detain", "held"), "arrested"),
    **dict.fromkeys(("rescu", "sav"), "rescued"),
    **dict.fromkeys(("evacuat",), "evacuated"),
}
#: Between a number and its predicate: "60 people were killed", "25 had been rescued".
_AUXILIARY = frozenset(
    "were was are is be been being have has had reportedly also later all still now then already more than".split()
)
_BOUNDARY = frozenset({",", ";", ":", ".", "!", "?", "(", ")", "—", "–", "and", "or", "but", "while", "whereas",
                       "despite", "although", "though", "because", "unless", "whether", "if"})
_DETERMINERS = frozenset("the a an any all every each his her its their our my your this that these those such "
                         "enough much many some".split())
_DIRECTIONS = {
    **dict.fromkeys(("north", "northern"), "north"), **dict.fromkeys(("south", "southern"), "south"),
    **dict.fromkeys(("east", "eastern"), "east"), **dict.fromkeys(("west", "western"), "west"),
    **dict.fromkeys(("northeast", "northeastern", "north-east", "north-eastern"), "northeast"),
    **dict.fromkeys(("northwest", "northwestern", "north-west", "north-western"), "northwest"),
    **dict.fromkeys(("southeast", "southeastern", "south-east", "south-eastern"), "southeast"),
    **dict.fromkeys(("southwest", "southwestern", "south-west", "south-western"), "southwest"),
    **dict.fromkeys(("central",), "central"),
}
_LOCATIVE = frozenset({"in", "over", "near", "outside", "inside", "off", "across"})
_CAPITALISED_NOT_NAMES = frozenset(
    {"The", "A", "An", "In", "On", "At", "It", "He", "She", "They", "We", "I", "But", "And", "This", "That", "There",
     "Mr", "Mrs", "Ms", "Dr", "President", "Prime", "Minister"}
)

# -- negation and denial --------------------------------------------------------------------

#: A contraction's verb without its "n't": "won't" is "will" negated.
_CONTRACTED = {"wo": "will", "ca": "can", "sha": "shall", "ai": "is"}
_NEGATORS = frozenset({"not", "never"})
#: Determiners and prepositions that negate the noun after them.
_NEGATIVE_WORDS = frozenset({"no", "without", "nor", "neither", "none", "nothing", "nobody"})
#: After a negator, before its predicate: "has not yet been found".
_NEGATION_GAP = frozenset(
    "be been being have has had yet even also really actually always ever quite necessarily fully entirely "
    "completely immediately so to going gonna about get got gotten".split()
)
#: "not only", "not until" (= only after), "whether or not", "if not": no denial of a predicate.
_NOT_NEGATING_AFTER = frozenset({"only", "until", "till", "least", "just", "merely", "simply", "even", "necessarily",
                                 "single", "exactly", "quite"})
_NOT_NEGATING_BEFORE = frozenset({"whether", "if", "or"})
#: Verbs that negate the verb they govern: "refused to sign" did not sign.
_NEGATING_VERB_WORDS = frozenset("refuse refuses refused fail fails failed decline declines declined withhold "
                                 "withheld withholds".split())
_NEGATING_VERBS = frozenset(map(_stem, _NEGATING_VERB_WORDS))
#: A statement that says another is untrue: a denial, a debunking, a retraction.
_DENIAL_WORDS = frozenset(
    "deny denies denied denial denials hoax hoaxes fake faked fakes false falsely untrue debunk debunks debunked "
    "debunking myth myths bogus phony phoney fabricated fabrication retract retracts retracted retraction refute "
    "refutes refuted nope baseless unfounded satire satirical parody doctored photoshopped misinformation "
    "erroneous inaccurate misleading duped fooled fictional rubbish nonsense bunk".split()
)
_DENIAL_STEMS = frozenset(_stem(w) for w in _DENIAL_WORDS)
_DENIAL_PHRASES = (("not", "true"), ("no", "truth"), ("not", "real"), ("turns", "out", "not"), ("made", "up"),
                   ("pulls", "out"), ("pulled", "out"), ("backs", "out"), ("backed", "out"), ("called", "off"),
                   *((contraction + "n" + apostrophe + "t", word) for contraction in ("is", "was", "are", "were")
                     for apostrophe in "'’" for word in ("true", "real")))


@dataclass(frozen=True, slots=True)
class Mention:
    """One slot's value in a statement: what kind of slot, what it is about (`key`), the
    predicate words around it (`roles`), the value (`low`..`high` for amounts, `label`
    otherwise), how it is written, and which characters to rewrite to make it agree."""

    kind: str
    key: str
    roles: frozenset[str]
    written: str
    start: int
    end: int
    low: float = 0.0
    high: float = 0.0
    hedge: str = "exact"  # amounts: "exact", "min", "max", "about" or "vague"
    label: str = ""  # other slots: the direction, place, name or negated word
    generic: bool = False  # an amount of people or of a unit: its predicate says what it counts
    name: str = ""  # what the slot is called on screen: "aircraft", "injured", "date"


@dataclass(frozen=True, slots=True)
class Edit:
    """Rewrite text[start:end] as `replacement` in statement `side` ("a" or "b")."""

    side: str
    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Difference:
    """Two statements give a slot different values: `slot` names it ("aircraft", "injured",
    "place", "negation"), `a` and `b` are the values as each statement writes them, and `edit`
    rewrites one statement so that the slot agrees: if the two then say the same thing, the
    difference is a conflict."""

    slot: str
    kind: str
    a: str
    b: str
    edit: Edit
    #: Of a count, date, place or doer: how alike the words around the two values are, 0..1: "about 40 hikers were flown to safety"
    #: and "about 30 hikers were flown to safety" are the same slot of one fact.
    context: float = 0.0
    #: Both statements are short and about the same thing (`SHORT`): a negation or denial in one
    #: of them is of what the other says.
    one_fact: bool = False

    @property
    def reason(self) -> str:
        return f"{self.slot}: “{self.a}” vs “{self.b}”"


#: Content words either side of a value that tell which fact it belongs to.
CONTEXT_WORDS = 4


def _context(x: Reading, m: Mention, y: Reading, n: Mention) -> float:
    """The share of the smaller of two values' surroundings found in the other's; none when
    either has fewer than three words around it ("He was sentenced to 20 years" says nothing of
    whom)."""
    ours, theirs = x.around(m.start, m.end), y.around(n.start, n.end)
    if min(len(ours), len(theirs)) < 3:
        return 0.0
    return len(ours & theirs) / min(len(ours), len(theirs))


@dataclass(frozen=True, slots=True)
class Reading:
    """A statement read into its slots, once however many statements it is compared with."""

    text: str
    mentions: tuple[Mention, ...]
    words: dict[str, tuple[str, int, int]]  # each predicate class's first word as written, and where
    names: frozenset[str]  # every capitalised word, lower-cased: where an actor or place is looked for
    negated: frozenset[str]  # words under a negation: "not caused", "no injuries", "withhold pay"
    negative: bool  # any negation at all, or a negating verb: then a denial is nothing new
    content: tuple[tuple[int, int, str], ...]  # each content word's offsets and predicate class
    topic: frozenset[str]  # the content words, but negations and denials: what the statement is about
    values: frozenset[tuple[object, ...]]  # every slot value: two statements giving the same differ in no slot
    places: frozenset[str]  # every known place it names, wherever it names it
    starts: tuple[int, ...]  # where each content word starts and ends: `around` bisects them
    ends: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> Reading:
        """Each slot reader runs only on a statement holding a word it starts from: a thousand
        articles' claims are read in one alignment."""
        s = _Sentence(text)
        vocabulary = frozenset(s.lowers)
        numeric = any(w[:1].isdecimal() for w in s.lowers)
        contracted = any(w.endswith(("n't", "n’t")) for w in s.lowers)
        mentions: list[Mention] = []
        if numeric or not _NUMBER_STARTS.isdisjoint(vocabulary) or any(
                "-" in w and w.split("-")[0] in _UNITS_WORDS for w in vocabulary):  # "twenty-five"
            mentions += _quantities(s)
        if numeric or not _ORDINAL_WORDS.isdisjoint(vocabulary):
            mentions += _ordinals(s)
        if numeric or not _TIME_WORDS.isdisjoint(vocabulary):
            mentions += _times(s)
        if not _LOCATIVE.isdisjoint(vocabulary):
            mentions += _places(s)
        mentions += _actors(s)
        negations = list(_negations(s)) if contracted or not _NEGATION_WORDS.isdisjoint(vocabulary) else []
        if not _DENIAL_TRIGGERS.isdisjoint(vocabulary) or any("-" in w for w in s.lowers):
            mentions += _denials(s)
        words: dict[str, tuple[str, int, int]] = {}
        content = []
        for (written, lower, start, end), stem_ in zip(s.tokens, s.stems):
            if not lower[:1].isalpha():
                continue
            role = _ROLE_CLASSES.get(stem_, stem_)
            if role not in words:
                words[role] = (written, start, end)
            if lower not in _NOT_TOPIC and stem_ not in _SAYING and not lower.endswith(("n't", "n’t")):
                content.append((start, end, role))
        governed = s.governed() if negations or contracted or not _GOVERNING.isdisjoint(vocabulary) else frozenset()
        topic = frozenset(w for _, _, w in content if w not in _DENIED_THINGS and w not in _DENIAL_STEMS)
        values = frozenset((m.kind, _thing(m.key), m.low, m.high, m.hedge, m.label) for m in mentions
                           if m.kind != "denial")
        return cls(text, (*mentions, *negations), words, s.names(),
                   frozenset(m.key for m in negations) | governed, bool(governed) or s.negative(), tuple(content),
                   topic, values, s.places(), tuple(c[0] for c in content), tuple(c[1] for c in content))

    def around(self, start: int, end: int, reach: int = CONTEXT_WORDS) -> set[str]:
        """The content words nearest a stretch of the statement: `reach` before and after it."""
        before = bisect_right(self.ends, start)  # the words are in order
        after = bisect_left(self.starts, end)
        return {w for _, _, w in self.content[max(0, before - reach) : before]} | {
            w for _, _, w in self.content[after : after + reach]}

    @property
    def plain(self) -> bool:
        """Nothing a difference can be read from: most statements."""
        return not self.mentions



class _Token(NamedTuple):
    text: str
    lower: str
    start: int
    end: int


class _Sentence:
    """One statement's tokens, lower-cased and stemmed, read by each slot reader in turn."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = [_Token(written, written.lower(), m.start(), m.end())
                       for m in _TOKEN.finditer(text) for written in (m.group(),)]
        self.lowers = [t.lower for t in self.tokens]
        self.stems = [_stem(w) for w in self.lowers]

    def __len__(self) -> int:
        return len(self.tokens)

    def written(self, first: int, last: int) -> str:
        """Tokens first..last (inclusive) as written."""
        return self.text[self.tokens[first].start : self.tokens[last].end]

    def roles_before(self, start: int, limit: int = 2) -> list[str]:
        """Up to `limit` predicate words before token `start`, nearest first, within the clause."""
        found: list[str] = []
        i = start - 1
        while i >= 0 and len(found) < limit and start - i <= 5:
            if self.lowers[i] in _BOUNDARY:
                break
            if self._predicate(i):
                found.append(_role(self.stems[i]))
            i -= 1
        return found

    def roles_after(self, end: int, limit: int = 2) -> list[str]:
        found: list[str] = []
        i = end
        while i < len(self) and len(found) < limit and i - end <= 4:
            if self.lowers[i] in _BOUNDARY:
                break
            if self._predicate(i):
                found.append(_role(self.stems[i]))
            i += 1
        return found

    def _predicate(self, i: int) -> bool:
        return _content(self.lowers[i]) and self.stems[i] not in _SAYING and _number(self.lowers, i) is None

    def governed(self) -> frozenset[str]:
        """Words a negating verb or a negative determiner governs: "withhold pay" does not pay,
        "no injuries" and "without support" have none."""
        found = set()
        for i in range(len(self) - 1):
            if self.stems[i] in _DENIAL_STEMS:  # "denied that rebels were based there": all of it
                found.update(_role(self.stems[j]) for j in range(i + 1, len(self))
                             if _content(self.lowers[j]) and self.lowers[j] not in (".", ";"))
            elif self.stems[i] in _NEGATING_VERBS or self.lowers[i] in _NEGATIVE_WORDS:
                following = next((j for j in range(i + 1, min(i + 4, len(self))) if _content(self.lowers[j])), None)
                if following is not None:
                    found.add(_role(self.stems[following]))
        return frozenset(found)

    def names(self) -> frozenset[str]:
        """Capitalised words, stemmed; none in a headline written in title case, where every word is."""
        capitalised, words, upper = [], 0, 0
        for (written, _, _, _), stem_ in zip(self.tokens, self.stems):
            if written[:1].isupper():
                capitalised.append(stem_)
                upper += len(written) > 3
            words += len(written) > 3 and written[:1].isalpha()
        if words >= 4 and upper >= 0.7 * words:
            return frozenset()
        return frozenset(capitalised)

    def places(self) -> frozenset[str]:
        """The known places it names (`gazetteer`), one and two words long."""
        capitalised = [i for i, token in enumerate(self.tokens) if token.text[:1].isupper()]
        found = {self.lowers[i] for i in capitalised if self.lowers[i] in gazetteer.PLACES}
        found.update(f"{self.lowers[i]} {self.lowers[i + 1]}" for i in capitalised
                     if i + 1 < len(self) and f"{self.lowers[i]} {self.lowers[i + 1]}" in gazetteer.PLACES)
        return frozenset(found)

    def negative(self) -> bool:
        return any(w in _NEGATORS or w in _NEGATIVE_WORDS or w.endswith(("n't", "n’t")) for w in self.lowers) or \
            not _NEGATING_VERBS.isdisjoint(self.stems)


def _content(lower: str) -> bool:
    return lower[:1].isalpha() and lower not in _NOT_CONTENT


def _role(stem_: str) -> str:
    return _ROLE_CLASSES.get(stem_, stem_)


# -- amounts ----------------------------------------------------------------------------------


def _number(lowers: Sequence[str], i: int) -> tuple[float, float, int] | None:
    """The amount starting at token i as (low, high, the token after it), or None: "1.5 million",
    "twenty-five", "a dozen", "two dozen", "hundreds"."""
    word = lowers[i]
    if not (word[:1].isdecimal() or word in _NUMBER_STARTS or "-" in word):
        return None
    end = i + 1
    if word[:1].isdecimal():
        if fraction := _FRACTION.match(word):
            numerator, denominator = int(fraction.group(1)), int(fraction.group(2))
            return (numerator / denominator,) * 2 + (end,) if 0 < numerator < denominator else None
        if not _DIGITS.match(word):
            return None  # "12th" is an ordinal, "115-yacht" a compound
        value = float(word.replace(",", ""))
    elif word in _VAGUE:
        low, high = _VAGUE[word]
        return float(low), float(high), end
    elif word in ("a", "an") and i + 1 < len(lowers) and lowers[i + 1] in _SCALES:
        value = 1.0
    elif word == "half" and lowers[i + 1 : i + 3] == ["a", "dozen"]:
        return 6.0, 6.0, i + 3
    else:
        parts = word.split("-")
        if len(parts) > 2 or not all(p in _UNITS_WORDS for p in parts):
            return None
        value = float(sum(_UNITS_WORDS[p] for p in parts))
    if not math.isfinite(value):
        return None  # "999…": no amount anyone counts
    if end < len(lowers) and (fraction := _FRACTION.match(lowers[end])) and value.is_integer():  # "3 1/2"
        numerator, denominator = int(fraction.group(1)), int(fraction.group(2))
        if 0 < numerator < denominator:
            value += numerator / denominator
            end += 1
    elif lowers[end : end + 3] == ["and", "a", "half"]:
        value, end = value + 0.5, end + 3
    elif lowers[end : end + 2] == ["and", "one-half"]:
        value, end = value + 0.5, end + 2
    while end < len(lowers) and lowers[end].split("-")[0] in _SCALES:  # "1.5 million", "$500 billion-worth"
        value *= _SCALES[lowers[end].split("-")[0]]
        end += 1
    return value, value, end


def _hedge_before(lowers: Sequence[str], i: int) -> tuple[str, int]:
    """The hedge written right before token i ("exact" if none), and the token it starts at."""
    for length in (3, 2, 1):
        if i - length >= 0 and (hedge := extract.HEDGES.get(" ".join(lowers[i - length : i]))):
            return hedge, i - length
    return "exact", i


def interval(value: float, hedge: str) -> tuple[float, float]:
    """What a hedged amount allows. "About" allows the number's own rounding (about 180: 170 to
    190; about 200: 180 to 220), at least 5% and at most 10% of it either side."""
    if hedge == "min":
        return value, float("inf")
    if hedge == "max":
        return 0.0, value
    if hedge == "about":
        unit = 1.0
        while value >= unit * 10 and value % (unit * 10) == 0:
            unit *= 10
        spread = max(0.05 * value, min(unit, 0.1 * value))
        return value - spread, value + spread
    return value, value


def _quantities(s: _Sentence) -> Iterator[Mention]:
    masked = _masked(s)
    lowers = s.lowers
    starts = [k for k, w in enumerate(lowers) if (w[:1].isdecimal() or w in _NUMBER_STARTS or "-" in w)
              and k not in masked]
    done = 0  # amounts do not overlap: one that starts inside the last is part of it
    for i in starts:
        if i < done:
            continue
        found = _number(lowers, i)
        if found is None:
            continue
        low, high, end = found
        word = lowers[i]
        if word == "one" and (end >= len(s) or not lowers[end][:1].isalpha() or lowers[end] in STOP_WORDS):
            done = end  # "one of the", "one said": a pronoun more often than a count
            continue
        money = i > 0 and lowers[i - 1] == "$"
        if _YEAR.match(word) and not money and end == i + 1:
            done = end  # a year is a time (`_times`)
            continue
        hedge, first = ("vague", i) if word in _VAGUE else _hedge_before(lowers, i)
        if hedge != "vague":
            low, high = interval(low, hedge)
        if money:
            first = min(first, i - 1)
        number_end = end
        if end < len(s) and lowers[end] in _PERCENT:
            number_end = end + 1
        elif lowers[end : end + 2] == ["per", "cent"]:
            number_end = end + 2
        percent = number_end > end
        head, head_end = _head(s, _counted_from(s, number_end, vague=word in _VAGUE))
        if percent or money:
            key, generic = ("percent" if percent else "dollar"), True
        elif head in ("a.m.", "p.m."):
            key, head, generic = "time", "time", False  # "at 6 a.m.": a time of day
        else:
            key = " ".join(map(_stem, head.split())) if head else ""
            generic = not key or key in _PEOPLE or key in _UNITS
        roles = s.roles_before(first, limit=1) + s.roles_after(max(head_end, number_end), limit=1)
        if key or roles:
            named = next((r for r in roles if r in _NAMED_ROLES), "")
            name = named or (head if head and key not in _PEOPLE else (roles[0] if roles else key))
            shown_end = max(head_end, number_end) - 1
            written = s.written(first, shown_end)
            if generic and not (percent or money) and (verb := _verb_before(s, first)):
                written = f"{verb} {written}"  # "injuring 155": what a bare number counts
            yield Mention("quantity", key, frozenset(roles), written, s.tokens[first].start,
                          s.tokens[number_end - 1].end, low, high, hedge, generic=generic, name=name)
        done = end


_PEOPLE = frozenset(_stem(w) for w in "people person persons other others individual individuals one ones".split())
_UNITS = frozenset(_stem(w) for w in _GENERIC) - _PEOPLE
#: Predicate classes that name the slot of an amount of people: "injured", "arrested".
_NAMED_ROLES = frozenset(_ROLE_CLASSES.values())
#: The slots that count casualties: a report's toll.
TOLLS = frozenset({"killed", "injured", "missing"})


def _counted_from(s: _Sentence, i: int, *, vague: bool) -> int:
    """Where the thing counted starts: "64 of the 122 seats" counts seats; "hundreds of people"."""
    if s.lowers[i : i + 1] != ["of"]:
        return i
    j = i + 1
    while j < len(s) and s.lowers[j] in _DETERMINERS:
        j += 1
    if j < len(s) and (number := _number(s.lowers, j)):
        return number[2]
    return j if vague else i


def _head(s: _Sentence, start: int) -> tuple[str, int]:
    """The noun an amount counts, lower-cased, and the token after it: the last of up to four
    words after the amount, before a function word, a verb form in -ed or punctuation. A noun
    that says little alone keeps the word before it: "crew members", "family members"."""
    head, i = "", start
    while i < len(s) and i - start < 4:
        word = s.lowers[i]
        if not word[:1].isalpha() or word in STOP_WORDS or word in _AUXILIARY or word in _BOUNDARY:
            break
        if word.endswith("ed") and word != "hundred":
            break
        head = word
        i += 1
    if _stem(head) in _PARTS and i - start >= 2:
        head = f"{s.lowers[i - 2]} {head}"
    return head, i


#: Nouns that count parts of something the word before them names.
_PARTS = frozenset({"member", "officer", "worker", "official", "player", "unit"})


def _verb_before(s: _Sentence, first: int) -> str:
    """The word before a bare amount when it is its predicate ("injuring" 155)."""
    if first > 0 and _content(s.lowers[first - 1]) and s.stems[first - 1] not in _SAYING:
        return s.tokens[first - 1].text
    return ""


def _masked(s: _Sentence) -> set[int]:
    """Tokens that look like amounts and are not: the days of dates (`_times` reads those), the
    hours of "18:30", and the numbers of names ("Boeing 727", "Windows 98")."""
    masked = set()
    for i, token in enumerate(s.tokens):
        if not token.text[:1].isdecimal():
            continue
        after = s.lowers[i + 1] if i + 1 < len(s) else ""
        if len(token.text) <= 2 and (after == ":" or _month(after) or _month_before(s, i)):
            masked.add(i)
        elif i > 1 and s.tokens[i - 1].text[:1].isupper() and s.lowers[i - 1] not in STOP_WORDS \
                and not _month(s.lowers[i - 1]) and s.lowers[i - 2] not in _BOUNDARY \
                and not s.lowers[i - 1].endswith(("'s", "’s")):
            masked.add(i)  # a capitalised word before a number, not at the start: a model or a name
    return masked


def _month_before(s: _Sentence, i: int) -> int:
    """The month written right before token i ("March 12", "Aug. 6"), or 0."""
    if i > 0 and (month := _month(s.lowers[i - 1])):
        return month
    if i > 1 and s.lowers[i - 1] == "." and (month := _month(s.lowers[i - 2])):
        return month
    return 0


def _month(word: str) -> int:
    """The month a word names (1..12), or 0: "March", "Mar", "Sept" (not "may" the verb)."""
    if word in _FULL_MONTHS or (len(word) == 3 and word in _MONTHS and word != "may"):
        return _MONTHS[word[:3]]
    return 0


_MONTHS = {m: n for n, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_FULL_MONTHS = frozenset(m.lower().rstrip("\\.") for m in extract.MONTHS.split("|")) | {"sept"}


# -- ordinals, times, places, actors ----------------------------------------------------------


def _ordinals(s: _Sentence) -> Iterator[Mention]:
    """"The fourth such crash": which one of a series, and of what."""
    for i, word in enumerate(s.lowers):
        digits = _ORDINAL_DIGITS.match(word)
        value = float(digits.group(1)) if digits else _ORDINALS.get(word)
        if value is None:
            continue
        ranked = next((j for j in range(i + 1, min(i + 4, len(s))) if _content(s.lowers[j])
                       and s.lowers[j] not in ("such", "straight", "consecutive", "successive")), None)
        if ranked is None:
            continue
        yield Mention("ordinal", s.stems[ranked], frozenset({s.stems[ranked]}), s.tokens[i].text,
                      s.tokens[i].start, s.tokens[i].end, value, value, name=s.lowers[ranked])


def _times(s: _Sentence) -> Iterator[Mention]:
    """Years, dates (day and month) and weekdays, each with the predicate it dates. A time
    right after a verb of saying ("said Friday") is when it was said, and is left out."""
    for i, token in enumerate(s.tokens):
        word = s.lowers[i]
        if _YEAR.match(word) and not (i > 0 and s.lowers[i - 1] == "$"):
            kind, first, last, value = "year", i, i, float(word)
        elif month := _month(word):
            after = i + 1 + (s.lowers[i + 1 : i + 2] == ["."])  # "Aug. 6"
            if after < len(s) and s.tokens[after].text.isdecimal() and len(s.tokens[after].text) <= 2:
                first, last = i, after
                day = int(s.tokens[after].text)
            elif i > 0 and s.tokens[i - 1].text.isdecimal() and len(s.tokens[i - 1].text) <= 2:
                first, last = i - 1, i
                day = int(s.tokens[i - 1].text)
            else:
                continue
            if not 1 <= day <= 31:
                continue
            kind, value = "date", float(month * 100 + day)
        elif word in _WEEKDAYS:
            kind, first, last, value = "weekday", i, i, float(_WEEKDAYS.index(word))
        else:
            continue
        if _said_before(s, first):
            continue
        roles = s.roles_before(first, limit=1) or s.roles_after(last + 1, limit=1)
        if roles:
            yield Mention(kind, kind, frozenset(roles), s.written(first, last), s.tokens[first].start,
                          s.tokens[last].end, value, value, name=kind)


_WEEKDAYS = [w.lower() for w in extract.WEEKDAYS.split("|")]


def _said_before(s: _Sentence, i: int) -> bool:
    for j in range(i - 1, max(i - 4, -1), -1):
        if s.stems[j] in _SAYING:
            return True
        if s.lowers[j] in _BOUNDARY:
            return False
    return False


def _places(s: _Sentence) -> Iterator[Mention]:
    """A place after "in", "over", "near" ..., with its direction when one is given ("over
    western Chad"), and the predicate it locates ("came down"). A capitalised word followed by
    a noun ("the Andean province") describes, and is no place; a name is a place when it is
    known (`gazetteer`) or has a direction."""
    for i, word in enumerate(s.lowers):
        if word not in _LOCATIVE or (i > 1 and s.tokens[i - 1].text[:1].isupper()):
            continue  # "the Centre for Free Speech in Kenya": part of a name, not where it happened
        j = i + 1 + (s.lowers[i + 1 : i + 2] == ["the"])
        direction = ""
        if j < len(s) and s.lowers[j] in _DIRECTIONS:
            direction, j = _DIRECTIONS[s.lowers[j]], j + 1
        first = j
        while j < len(s) and j - first < 3 and _name_word(s, j):
            j += 1
        if j == first or (j < len(s) and _content(s.lowers[j]) and not s.tokens[j].text[:1].isupper()):
            continue
        place = " ".join(s.lowers[first:j])
        roles = frozenset(s.roles_before(i, limit=1))
        if direction:
            mark = s.tokens[first - 1]
            yield Mention("direction", place, roles, s.written(first - 1, j - 1), mark.start, mark.end,
                          label=direction, name="direction")
        if place in gazetteer.PLACES or direction:
            yield Mention("place", "place", roles, s.written(first, j - 1), s.tokens[first].start,
                          s.tokens[j - 1].end, label=place, name="place")


def _actors(s: _Sentence) -> Iterator[Mention]:
    """Who did it: a name right before a verb in the past or present tense ("Red Brigade
    claimed responsibility", "Rebels attacked"), not a possessive or a name used as an
    adjective ("Belgian cyclist")."""
    i = 0
    while i < len(s):
        if not s.tokens[i][0][:1].isupper() or not _name_word(s, i):
            i += 1
            continue
        j = i
        while j < len(s) and j - i < 5 and _name_word(s, j):
            j += 1
        verb = s.lowers[j] if j < len(s) else ""
        if (_content(verb) and s.stems[j] not in _SAYING and verb not in _NEGATION_GAP and verb not in _MODALS
                and _finite(verb) and not s.lowers[j - 1].endswith(("'s", "’s"))):
            role = _role(s.stems[j])
            yield Mention("actor", role, frozenset({role}), s.written(i, j - 1), s.tokens[i].start,
                          s.tokens[j - 1].end, label=" ".join(s.lowers[i:j]), name=f"who {verb}")
        i = max(j, i + 1)


def _finite(verb: str) -> bool:
    """Looks like a verb in the past or the present tense: "claimed", "claims", "shot"."""
    return verb.endswith("ed") or verb in _PAST or (verb.endswith("s") and not verb.endswith(("ss", "us", "is")))


#: Past tenses not in -ed, for the verb after a name.
_PAST = frozenset("""went took shot fell left won lost hit found sent made gave held kept led met ran saw sold
    struck stole threw told wrote began bought brought built caught chose drove fought flew fled froze got grew
    hid knew lay paid put quit rose sank sat slew spent split spread stood swore swept tore woke wore""".split())


def _name_word(s: _Sentence, i: int) -> bool:
    """A capitalised word that can be part of a name: not a function word, number, month or day."""
    token = s.tokens[i]
    return (token.text[:1].isupper() and token.text not in _CAPITALISED_NOT_NAMES and token.lower not in STOP_WORDS
            and _number(s.lowers, i) is None and not _month(token.lower) and token.lower not in _WEEKDAYS
            and token.lower not in _ORDINALS)


_MODALS = frozenset("will would can could may might must shall should".split())


# -- negation and denial ----------------------------------------------------------------------


def _negations(s: _Sentence) -> Iterator[Mention]:
    """Each predicate a negation scopes: "was not caused" negates "caused", as do "won't play",
    "never flew", "no longer exists", "refused to sign", "is not the wife", "isn't by the painter"
    and "no gender segregation". "Not only", "not until" (only after), "whether or not", "not
    the first", "no doubt" and "but not the two-thirds majority" (a noun phrase left over from
    the clause before) negate none."""
    lowers = s.lowers
    for i, word in enumerate(lowers):
        phrase = False  # a negated noun phrase ("no injuries", "is not the wife") rather than a verb
        if word in _NEGATORS or (word.endswith(("n't", "n’t")) and len(word) > 3):
            cue_end = i + 1
        elif word == "no" and lowers[i + 1 : i + 2] == ["longer"]:
            cue_end = i + 2
        elif word == "no" and lowers[i + 1 : i + 2] not in (["doubt"], ["matter"], ["one"], ["more"], ["less"]) \
                and not (i > 0 and s.stems[i - 1] == _stem("spare")):  # "spare no effort"
            cue_end, phrase = i + 1, True
        elif s.stems[i] in _NEGATING_VERBS and lowers[i + 1 : i + 2] == ["to"]:
            cue_end = i + 2
        else:
            continue
        if i > 0 and lowers[i - 1] in _NOT_NEGATING_BEFORE:
            continue
        j = cue_end
        while j < len(s) and (lowers[j] in _NEGATION_GAP or (lowers[j].endswith("ly") and len(lowers[j]) > 4)):
            j += 1  # "has not yet been", "did not personally"
        if j < len(s) and (lowers[j] in _DETERMINERS or lowers[j] in _LINKING):
            if i > 0 and lowers[i - 1] in _CONTRAST:
                continue  # "won 64 seats, but not the two-thirds majority"
            phrase = True
            while j < len(s) and (lowers[j] in _DETERMINERS or lowers[j] in _LINKING):
                j += 1
        if j >= len(s) or lowers[j] in _NOT_NEGATING_AFTER or lowers[j] in _ORDINALS or not _content(lowers[j]):
            continue
        if _only(s, j):
            continue
        key = _role(s.stems[j])
        # what the negated predicate is said of: the content words after it, in its clause
        said_of = s.roles_after(j + 1, limit=3)
        yield Mention("negation", key, frozenset(said_of), s.written(i, j), s.tokens[i].start,
                      s.tokens[cue_end - 1].end, label="" if phrase and word == "no" else _affirmed(word),
                      name="negation")
    for i, word in enumerate(lowers):
        if word == "alive" and not (i > 0 and lowers[i - 1] in _NEGATORS):  # "is alive": not killed, not dead
            yield Mention("negation", "killed", frozenset(), s.tokens[i].text, s.tokens[i].start,
                          s.tokens[i].end, label="dead", name="negation")


#: Between "is not" and what it denies: "isn't by the painter", "is not in the capital".
_LINKING = frozenset({"by", "from", "in", "on", "at", "about", "for", "of", "with", "among"})
#: Before a "not" that negates a noun phrase left over from the clause before.
_CONTRAST = frozenset({"but", "and", "or", ",", "if", "whether", "than"})


def _only(s: _Sentence, j: int) -> bool:
    """"Would not govern with any majority other than ...", "not ... except", "not ... until":
    "only", no denial."""
    for k in range(j + 1, min(j + 12, len(s))):
        if s.lowers[k] in (".", ";", ":"):
            return False
        if s.lowers[k] in ("except", "until", "till") or (s.lowers[k] == "other" and "than" in s.lowers[k + 1 : k + 4]):
            return True  # "not until" is "only after"
    return False


def _affirmed(cue: str) -> str:
    """What a negation cue reads as without its negation: "won't" is "will", "not" nothing."""
    if cue.endswith(("n't", "n’t")):
        verb = cue[:-3]
        return _CONTRACTED.get(verb, verb)
    return ""


#: Verbs that reject a claim when a claim is their object: "rebuffs rumours", "shoots down claims".
_REJECTING_WORDS = frozenset("rebuff rebuffs rebuffed dismiss dismisses dismissed reject rejects rejected quash "
                             "quashes quashed scotch scotches scotched kill kills killed slam slams slammed shoot "
                             "shoots".split())
_REJECTING = frozenset(map(_stem, _REJECTING_WORDS))


def _rejects_a_claim(s: _Sentence, i: int) -> bool:
    """"Rebuffs internet rumours that he died", "kills the stolen-statue rumour", "rumour put to rest"."""
    if s.stems[i] in _REJECTING:
        return any(s.stems[k] in _DENIED_THINGS for k in range(i + 1, min(i + 5, len(s))))
    return s.stems[i] in _DENIED_THINGS and s.lowers[i + 1 : i + 4] == ["put", "to", "rest"]


def _denials(s: _Sentence) -> Iterator[Mention]:
    """Words that say another statement is untrue: "denies", "a hoax", "not true", "retracts".
    "Deny" is a denial of a claim only with something said after it: "denied the allegations."
    and "has denied it." say nothing of what, "denied the defence's request" refuses, and "denied the
    premier the vote" withholds."""
    lowers = s.lowers
    for i, word in enumerate(lowers):
        if word in _DENIAL_WORDS or ("-" in word and _DENIAL_WORDS.intersection(word.split("-"))) or (
                (word in _REJECTING_WORDS or word in _DENIED_WORDS) and _rejects_a_claim(s, i)):
            length = 1
        elif word in _DENIAL_STARTS:
            length = next((len(p) for p in _DENIAL_STARTS[word] if tuple(lowers[i : i + len(p)]) == p), 0)
        else:
            continue
        if not length or (s.stems[i] in _DENY and not _denies_a_claim(s, i + 1)) or _of_something_else(s, i):
            continue
        yield Mention("denial", "denial", frozenset(), s.written(i, i + length - 1), s.tokens[i].start,
                      s.tokens[i + length - 1].end, name="denial")


def _of_something_else(s: _Sentence, i: int) -> bool:
    """"They were fabricated", "it is false": a denial of something a pronoun points to, said
    elsewhere than in this statement."""
    before = s.lowers[max(0, i - 3) : i]
    if not (any(w in _PRONOUNS for w in before) and any(w in _BE for w in before)):
        return False
    return any(stem_ in _DENIED_THINGS for stem_ in s.stems[:i])  # "denies the allegations, says they were"


_PRONOUNS = frozenset("it they this that these those he she".split())
_BE = frozenset("is was are were be been 's".split())
_DENY_WORDS = frozenset(("deny", "denies", "denied", "denying"))
_DENY = frozenset(map(_stem, _DENY_WORDS))
#: Each denial phrase under its first word, so that a word that starts none is passed over at once.
_DENIAL_STARTS: dict[str, list[tuple[str, ...]]] = {}
for _phrase in _DENIAL_PHRASES:
    _DENIAL_STARTS.setdefault(_phrase[0], []).append(_phrase)
#: What is refused rather than said to be untrue: "denied the request".
_REFUSED = frozenset(_stem(w) for w in "request application permission access entry visa bail appeal petition "
                     "motion admission".split())


def _denies_a_claim(s: _Sentence, j: int) -> bool:
    """After "deny": "that ..." or something said ("denies reports of an arrest", "denies taking
    a selfie", "denies police arrested ..."), not a refusal or nothing in particular."""
    lowers = s.lowers
    k = j + (j < len(s) and lowers[j] in _DETERMINERS)
    first = k
    while k < len(s) and k - first < 3 and lowers[k][:1].isalpha() and lowers[k] not in STOP_WORDS:
        k += 1
    if first < k < len(s) and lowers[k] in _DETERMINERS:
        return False  # "denied the premier the vote": withheld from someone
    while j < len(s) and lowers[j] in _DETERMINERS:
        j += 1
    rest = [k for k in range(j, len(s)) if lowers[k] not in (".", "!", "?")]
    if not rest or (lowers[j] in ("it", "this", "them", "that") and len(rest) == 1):
        return False
    if any(s.stems[k] in _REFUSED for k in rest[:3]):
        return False  # "denied the defence's bail request": refused it
    if s.stems[j] in _DENIED_THINGS and (len(rest) == 1 or lowers[j + 1] in _BOUNDARY):
        return False  # "denies the allegations." / "denies the allegations and says ...": of what?
    return True


# -- comparing --------------------------------------------------------------------------------


class Sketch(NamedTuple):
    """What a statement could differ from another in, read with one regular expression: its
    values (numbers, number words, ordinals, months, weekdays, directions, known places) and
    whether it negates or denies anything. Two statements whose sketches say they cannot differ
    need no `Reading`: most pairs of a large case."""

    values: frozenset[str]
    polar: bool

    @classmethod
    def of(cls, text: str) -> Sketch:
        values: list[str] = []
        written_words = _SKETCH_WORD.findall(text)
        words = [written.lower() for written in written_words]
        vocabulary = frozenset(words)
        if not vocabulary.isdisjoint(_DENIED_WORDS) and not vocabulary.isdisjoint(_REJECTING_WORDS | {"rest"}):
            polar = True  # "rebuffs rumours", "rumour put to rest"
        else:
            polar = not vocabulary.isdisjoint(_DENIAL_STARTS) and any(
                tuple(words[i : i + len(p)]) == p for i, w in enumerate(words) for p in _DENIAL_STARTS.get(w, ()))
        for written, word in zip(written_words, words):
            if word in _SKETCH_POLAR or word.endswith(("n't", "n’t")) or (
                    "-" in word and not _DENIAL_WORDS.isdisjoint(word.split("-"))):
                polar = True
            elif word[:1].isdecimal() or _sketch_value(word) or (written[:1].isupper() and word in _PLACE_WORDS):
                values.append(word)
        for name, verb in _SKETCH_ACTOR.findall(text):
            named = name.lower().split()
            while named and named[0] in _NOT_A_NAME:
                named.pop(0)  # "The Red Brigade", "For Alhanqa"
            if named and _finite(verb):
                values.append("who:" + " ".join(named))
        seen: dict[str, int] = {}
        for value in values:  # a multiset: "two aircraft and two ships" gives "two" twice
            seen[value] = seen.get(value, 0) + 1
        return cls(frozenset(f"{value}#{n}" for value, count in seen.items() for n in range(count)), polar)

    def may_differ(self, other: Sketch) -> bool:
        """A slot differs only where each statement gives a value the other does not ("two"
        against "three"); a statement whose values the other all gives agrees with it."""
        return self.polar or other.polar or bool(self.values - other.values and other.values - self.values)


def elsewhere(x: Reading, y: Reading) -> bool:
    """Each names a known place the other does not: most often two events, not one reported twice."""
    return bool(x.places and y.places and x.places.isdisjoint(y.places))


#: The most values of one kind compared between two statements: a sentence is not a table.
MOST_VALUES = 40


def differences(x: Reading, y: Reading) -> list[Difference]:
    """Where statements x and y give one slot different values, most telling first."""
    if x.plain and y.plain:
        return []
    found: list[Difference] = []
    if x.values != y.values:
        for kind in ("quantity", "ordinal", "year", "date", "weekday", "direction", "place", "actor"):
            xs = [m for m in x.mentions if m.kind == kind][:MOST_VALUES]
            ys = [m for m in y.mentions if m.kind == kind][:MOST_VALUES]
            if xs and ys:
                found += _slot_differences(kind, x, y, xs, ys)
    found += _polarity(x, y, "a") + _polarity(y, x, "b")
    found += _denied(x, y, "a") + _denied(y, x, "b")
    return found


def _slot_differences(kind: str, x: Reading, y: Reading, xs: list[Mention], ys: list[Mention]) -> list[Difference]:
    """Values of one slot that neither statement gives in the other: each of x's values whose
    slot y gives only other values, paired with y's closest such value, when that value too is
    nowhere in x. A value both give is agreement, whatever else either says ("dozens of farmers
    marched in Lyon; 1,000 rallied in Lille" and "some 41 farmers marched" share the 41)."""
    unmatched_x = [m for m in xs if not any(_same_slot(kind, m, n) and _agree(kind, m, n, x, y) for n in ys)]
    unmatched_y = [n for n in ys if not any(_same_slot(kind, m, n) and _agree(kind, m, n, x, y) for m in xs)]
    best: dict[int, tuple[float, Mention, Mention]] = {}  # y's value -> x's closest one
    for m in unmatched_x:
        for n in unmatched_y:
            if _same_slot(kind, m, n):
                closeness = _context(x, m, y, n) + (m.key == n.key) + len(m.roles & n.roles)
                if n.start not in best or closeness > best[n.start][0]:
                    best[n.start] = (closeness, m, n)
    paired: dict[int, tuple[float, Mention, Mention]] = {}  # and each of x's values once
    for closeness, m, n in best.values():
        if m.start not in paired or closeness > paired[m.start][0]:
            paired[m.start] = (closeness, m, n)
    return [
        Difference(_slot_name(a, b), kind, a.written, b.written, Edit("a", a.start, a.end, y.text[b.start : b.end]),
                   _context(x, a, y, b))
        for _, a, b in sorted(paired.values(), key=lambda found: found[1].start)
    ]


def _slot_name(a: Mention, b: Mention) -> str:
    return b.name if a.generic and not b.generic else a.name


#: Nouns news uses for one thing: "two aircraft" and "three planes" count the same things.
_SAME_THINGS = {" ".join(map(_stem, word.split())): group[0] for group in (
    ("aircraft", "plane", "airplane", "jet", "airliner", "warplane"), ("ship", "vessel", "boat"),
    ("soldier", "troop", "serviceman"), ("child", "kid"), ("vehicle", "car"), ("home", "house", "dwelling"),
    ("crew member", "crewmember", "crew", "airman"), ("person", "people", "individual")) for word in group}


def _thing(key: str) -> str:
    return _SAME_THINGS.get(key, key)


def _same_slot(kind: str, m: Mention, n: Mention) -> bool:
    """Whether two mentions give the value of one slot: the same thing counted (or, for people
    and units, the same predicate), the same thing ranked, the same predicate dated or located,
    the same place's direction, the same predicate's doer."""
    if kind == "quantity":
        if m.generic or n.generic:
            if m.key in _UNITS or n.key in _UNITS:
                if m.key != n.key:
                    return False
            return bool(m.roles & n.roles)
        return _thing(m.key) == _thing(n.key)
    if kind in ("ordinal", "direction", "actor"):
        return m.key == n.key
    return bool(m.roles & n.roles)


def _agree(kind: str, m: Mention, n: Mention, mine: Reading, other: Reading) -> bool:
    if kind == "quantity":
        if m.hedge == n.hedge and m.hedge in ("min", "max", "about") and (m.low, m.high) != (n.low, n.high):
            return False  # "at least 20" and "at least 35" are two reports' figures, and they differ
        return m.low <= n.high and n.low <= m.high
    if kind in ("ordinal", "year", "date", "weekday"):
        return m.low == n.low
    if kind == "direction":
        return m.label == n.label
    # a place or a doer: the same, spelled alike ("Franco-Spain", "Franco-Spanish"), or named
    # anywhere in the other statement
    return (_named_in(m.label, other) or _named_in(n.label, mine)
            or fuzz.ratio(m.label, n.label) >= 80)


def _named_in(label: str, reading: Reading) -> bool:
    return any(_stem(word) in reading.names for word in label.split())


def _polarity(x: Reading, y: Reading, side: str) -> list[Difference]:
    """A predicate x negates and y states without any negation ("was not caused" vs "caused").
    A statement with negations of its own is left alone: two negated statements seldom deny
    each other ("19 states do not include it in their laws", "ten have no such laws")."""
    if y.negative:
        return []
    found = []
    for m in x.mentions:
        if m.kind != "negation" or m.key in y.negated or m.key not in y.words:
            continue
        if m.label == "" and m.written.lower().startswith("never") and "first" in y.words:
            continue  # "never attempted before" is "the first time it was attempted"
        if len(m.roles) >= 2 and not m.roles & y.topic:
            continue  # "would not vote for the budget" is not of "would call a confidence vote"
        word, start, end = y.words[m.key]
        a, b = (m.written, word) if side == "a" else (word, m.written)
        found.append(Difference("negation", "negation", a, b, Edit(side, m.start, m.end, m.label),
                                one_fact=_one_fact(x, y)))
    return found


def _denied(x: Reading, y: Reading, side: str) -> list[Difference]:
    """x says something is untrue and y does not: a denial, a debunking, a retraction."""
    if y.negative or any(m.kind == "denial" for m in y.mentions):
        return []  # both say no: "denied that rebels were based there", "there were no rebels"
    cue = next((m for m in x.mentions if m.kind == "denial"), None)
    if cue is None or not _denies_what_other_says(x, y):
        return []
    a, b = (cue.written, "asserts it") if side == "a" else ("asserts it", cue.written)
    return [Difference("denial", "denial", a, b, Edit(side, cue.start, cue.end, ""), one_fact=_one_fact(x, y))]


#: A statement of at most this many content words states one fact: a negation in it negates that
#: fact. A longer one (most sentences of a news story) may negate something else than what it
#: shares with another statement.
SHORT = 12


def _one_fact(x: Reading, y: Reading) -> bool:
    """Both statements short, and about the same thing (two content words shared)."""
    ours, theirs = x.topic, y.topic
    return len(ours) <= SHORT and len(theirs) <= SHORT and len(ours & theirs) >= 2


#: What a denial denies, without saying what: "denies the rumours", "the report is false".
_DENIED_WORDS = frozenset("rumor rumors rumour rumours report reports claim claims allegation allegations story "
                          "stories news assertion assertions".split())
_DENIED_THINGS = frozenset(map(_stem, _DENIED_WORDS | {"it", "this", "that"}))


def _denies_what_other_says(x: Reading, y: Reading) -> bool:
    """A denial is of what the other statement says only if it says what: "Pyongyang has
    denied it" names no more than Pyongyang. Three of the denial's other words must be in the
    other statement, or two when one of them is not a name."""
    shared = x.topic & y.words.keys()
    return len(shared) >= 3 or (len(shared) == 2 and not shared <= x.names)


def agreeing(a: str, b: str, found: Sequence[Difference]) -> tuple[str, str]:
    """Statements a and b rewritten so that every slot in `found` agrees: if the two then state
    the same fact, the differences are what they disagree on."""
    edits: dict[str, list[Edit]] = {"a": [], "b": []}
    for difference in found:
        edits[difference.edit.side].append(difference.edit)
    return unattributed(_apply(a, edits["a"])), unattributed(_apply(b, edits["b"]))


#: "..., according to a ministry fact sheet", "..., a police spokesman said.": who says it,
#: which two reports of one fact need not share.
_ATTRIBUTED = re.compile(
    r",?\s*\baccording to\b[^;:]*?(?=[;:]|,\s+(?!or\b)[a-z]|[.!?]?[”\"]?\s*$)"
    r"|,?[”\"]?,?\s+(?:(?:the|a|an)\s+)?(?:[\w.’'-]+\s+){0,4}?"
    r"(?:said|says|told|reported|added|announced|confirmed|stated)"
    r"(?:\s+(?:on\s+)?\w+day)?\s*(?=[.!?]?[”\"]?\s*$)"
)


def unattributed(text: str) -> str:
    """A statement without who says it: what two reports of one fact are compared on."""
    stripped = _ATTRIBUTED.sub("", text).strip()
    return stripped if len(stripped) >= len(text) / 3 else text


#: Where a long sentence's parts meet: a dash, a semicolon, a parenthesis.
CLAUSES = re.compile(r"\s[—–-]{1,2}\s|;|\(|\)")


def agreeing_parts(a: str, b: str, found: Sequence[Difference]) -> tuple[str, str] | None:
    """The parts of a and b that hold their first difference, made to agree, when either runs on
    past a dash, a semicolon or a parenthesis: "Most ferries sail with 4 crew members, according
    to a fact sheet — a master, a mate (older boats ...)" states the crew in its first part.
    None when neither does."""
    if not found or not (CLAUSES.search(a) or CLAUSES.search(b)):
        return None
    first = found[0]
    at_a = first.edit.start if first.edit.side == "a" else max(a.find(first.a), 0)
    at_b = first.edit.start if first.edit.side == "b" else max(b.find(first.b), 0)
    part_a, part_b = _part_at(a, at_a), _part_at(b, at_b)
    differing = differences(Reading.of(part_a), Reading.of(part_b))
    return agreeing(part_a, part_b, differing) if differing else (part_a, part_b)


def _part_at(text: str, position: int) -> str:
    start = 0
    for boundary in CLAUSES.finditer(text):
        if boundary.start() >= position:
            return text[start : boundary.start()]
        start = boundary.end()
    return text[start:]


def _apply(text: str, edits: list[Edit]) -> str:
    pieces, position = [], 0
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.start < position:
            continue  # overlapping edits: the first one stands
        pieces += [text[position : edit.start], edit.replacement]
        position = edit.end
    return " ".join("".join(pieces + [text[position:]]).split())


# -- what each reader starts from -------------------------------------------------------------

_ORDINAL_WORDS = frozenset(_ORDINALS)
_TIME_WORDS = frozenset(_FULL_MONTHS) | frozenset(_MONTHS) | frozenset(_WEEKDAYS)
_NEGATION_WORDS = _NEGATORS | {"no", "alive"} | _NEGATING_VERB_WORDS
_GOVERNING = _NEGATIVE_WORDS | _NEGATION_WORDS | _DENIAL_WORDS | _DENY_WORDS
_DENIAL_TRIGGERS = _DENIAL_WORDS | frozenset(_DENIAL_STARTS) | _REJECTING_WORDS | _DENIED_WORDS

_SKETCH_POLAR = _NEGATION_WORDS | _NEGATIVE_WORDS | _DENIAL_WORDS | _DENY_WORDS
_SKETCH_VALUES = ((_NUMBER_STARTS - {"a", "an"}) | _ORDINAL_WORDS | _TIME_WORDS | frozenset(_DIRECTIONS)
                  | frozenset(_SCALES))


def _sketch_value(word: str) -> bool:
    """A word that can give a slot's value: "two", "twenty-five", "fourth", "March", "western"."""
    return word in _SKETCH_VALUES or ("-" in word and word.split("-")[0] in _UNITS_WORDS)
_PLACE_WORDS = frozenset(word for place in gazetteer.PLACES for word in place.split())
_SKETCH_WORD = re.compile(r"\d[\d,./]*|[^\W\d_]+(?:[’'-][^\W\d_]+)*")
#: A name right before a verb in -ed or -s: who did it ("Red Brigade claimed").
_SKETCH_ACTOR = re.compile(r"((?<![\w-])[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,4})\s+([a-z]+)\b")
_NOT_A_NAME = STOP_WORDS | _NUMBER_STARTS | frozenset(w.lower() for w in _CAPITALISED_NOT_NAMES) | _ORDINAL_WORDS
_NOT_CONTENT = STOP_WORDS | _AUXILIARY
_NOT_TOPIC = _NOT_CONTENT | _NEGATORS
