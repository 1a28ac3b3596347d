"""What a sentence states that a fact-checker would check: numbers, dates, named sources, cues.

Pure functions over one sentence. The claim finder records their output with every claim; the
check-worthiness scorer and the kind classifier read the same cues, so there is one definition
of "has a number" or "is attributed" in the code base.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain

#: Number words and what each counts; scales multiply the number before them ("two hundred").
NUMBER_VALUES = {word: n for n, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())} | {
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000, "dozen": 12}
_SMALL = [*NUMBER_VALUES, *SCALES]
NUMBER_WORDS = frozenset(_SMALL + [w + "s" for w in ("hundred", "thousand", "million", "billion", "dozen")])
#: Ordinal words and the place each names.
ORDINAL_VALUES = {word: n for n, word in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(), 1)} | {"hundredth": 100}
ORDINALS = frozenset(ORDINAL_VALUES)
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\."
)
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"

#: Words that hedge an amount, and how: "min" (at least 20: 20 or more), "max" (up to 20), "about"
#: (about 180: a few either side), "exact" (only 150).
HEDGES = {
    **dict.fromkeys(("at least", "more than", "over", "upwards of", "no fewer than", "no less than", "just over",
                     "in excess of"), "min"),
    **dict.fromkeys(("at most", "up to", "less than", "fewer than", "under", "no more than", "just under"), "max"),
    **dict.fromkeys(("about", "around", "roughly", "nearly", "almost", "approximately", "some", "an estimated",
                     "estimated", "close to"), "about"),
    **dict.fromkeys(("only", "exactly", "just"), "exact"),
}
_QUALIFIER = rf"(?:(?:{'|'.join(sorted(HEDGES, key=len, reverse=True))})\s+)?"
_DIGITS = r"\d[\d,]*(?:\.\d+)?"
_NUMBER_WORD = "|".join(sorted(NUMBER_WORDS | ORDINALS - {"first", "second"}, key=len, reverse=True))
_STOP = (
    r"(?:of|and|or|to|in|on|at|by|for|with|from|as|the|a|an|that|which|who|was|were|is|are|be|"
    r"been|has|had|have|did|do|does|will|would|could|can|may|might|fly|flew|than|while|when|"
    r"during|after|before|into|over|across|through|since|until|per|each|every|but|so|if|"
    r"because|lost|were|said|says|according)"
)
# A number, then the words it counts ("two USAF KC-135s", "3 crew members"), up to five of them.
_NUMBER = re.compile(
    r"(?<![\w.-])"
    + _QUALIFIER
    + r"(?:\$\s?)?(?:"
    + _DIGITS
    + r"|(?:" + _NUMBER_WORD + r")\b)"
    + r"(?:-(?:seat|year|day|month|week|hour|man|person|engine)s?)?"
    + r"(?:\s?%|\s?(?:percent|per cent|million|billion|trillion)\b)?"
    + r"(?:\s+(?!" + _STOP + r"\b)(?![a-z]+ed\b)[A-Za-z][\w’'.-]*(?<!\.)){0,5}",
    re.IGNORECASE,
)
#: `_NUMBER` for lower-cased text: the same matches, found several times faster.
_NUMBER_LOWER = re.compile(_NUMBER.pattern)
_DESIGNATOR = re.compile(r"\b[A-Z]{1,4}-\d+[A-Za-z’']*")  # KC-135, F-15E: names, not amounts
_YEAR = re.compile(r"(?<![\w.,-])(?:1[89]\d\d|20\d\d)(?![\w-]|,\d)")
#: A month or a weekday as a word of its own: "by May", not "by Mayor"; "Tuesday", not "Tuesdays".
_MONTH = rf"(?:{MONTHS})(?![A-Za-z])"
_WEEKDAY = rf"(?:{WEEKDAYS})(?![A-Za-z])"
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|(?:the\s+)?(?:end|start|beginning|middle)\s+of\s+{_MONTH}"
    rf"|(?:in|since|until|by)\s+{_MONTH}(?:\s+\d{{4}})?"
    rf"|{_WEEKDAY}"
    r"|(?:yesterday|today|tonight|last\s+(?:weekend|week|month|year|night))(?![A-Za-z])"
    r"|(?:in|since|between|by|from|until|during)\s+(?:1[89]\d\d|20\d\d)(?:\s+(?:and|to)\s+(?:1[89]\d\d|20\d\d))?"
    r"|(?<![\w.,-])(?:1[89]\d\d|20\d\d)(?![\w-]|,\d))"
)

_NAME_WORD = r"(?:[A-Z][\w&.’'-]*|of|for|the|and)"
_NAME = rf"[A-Z][\w&.’'-]*(?:\s+{_NAME_WORD}){{0,6}}"
_SAY = (
    r"says|said|say|reports|reported|is reporting|are reporting|announced|confirmed|confirms|"
    r"posted|stated|states|told|tells|claims|claimed|tweeted|wrote|writes|added|adds|"
    r"warned|warns|estimated|estimates|insisted|denied|denies|acknowledged|indicates|indicated|"
    r"determined|found|shows|showed"
)
_COMMON_SPEAKERS = (
    r"(?:(?:the|a|an)\s+)?(?:[\w.-]+\s+){0,4}?"
    r"(?:news release|statement|officials?|spokes(?:man|woman|person)|reporter|police|"
    r"investigators|authorities|ministry|fact sheet|report|data|analysts?|experts?|witness(?:es)?)"
)
_ACCORDING = re.compile(
    r"\baccording to\s+((?:(?:the|a|an)\s+)?(?:[\w’'&.-]+\s+){0,6}?[\w’'&.-]*[\w’'])"
    r"(?=\s*(?:[,;:—–)]|\s[-—–]|\.[\"”’)]*\s*$|$))"
)
_SPEAKER_SAYS = re.compile(rf"(?<![\w-])((?:{_COMMON_SPEAKERS})|(?:{_NAME}))\s+(?:{_SAY})\b")
_SAYS_SPEAKER = re.compile(rf"[,”\"]\s+(?:{_SAY})\s+((?:{_COMMON_SPEAKERS})|(?:{_NAME}))")
_VERB = re.compile(rf"\b(?:{_SAY})\b")
#: The most whitespace-separated pieces a `_SPEAKER_SAYS` speaker spans: a name of seven words, or
#: an article, four words and a two-word noun ("the Air Force fact sheet").
_SPEAKER_CHUNKS = 7
#: White space and a piece, up to `_SPEAKER_CHUNKS` times: read in the reversed sentence, the
#: stretch before a verb that a speaker can span.
_REACH = re.compile(rf"(?:\s+\S+){{0,{_SPEAKER_CHUNKS}}}")

# The cue patterns below this line are matched against the lower-cased sentence (case-insensitive
# matching costs Python's `re` three to four times as much).
ATTRIBUTION = re.compile(rf"\b(?:{_SAY}|according to|citing|quoted)\b")
QUOTE = re.compile(r"[“”\"]")
CAUSE = re.compile(
    r"\b(?:because|due to|caused|causes|causing|cause of|result of|resulted in|results in|"
    r"led to|leads to|lead to|as a result|owing to|thanks to|blamed|responsible for|"
    r"unrelated to|linked to|attributed to|after the\b.*\b(?:reacted|failed))\b"
)
COMPARISON = re.compile(
    r"\b(?:more|less|fewer|greater|higher|lower|larger|smaller|bigger|older|newer|faster|"
    r"slower|cheaper|worse|better)\s+than\b|\bthe\s+(?:most|least|largest|biggest|highest|"
    r"lowest|oldest|newest|first|third|fourth|fifth|last|only|record)\b|\bamong the\b|"
    r"\bcompared (?:with|to)\b|"
    r"\b(?:doubled|tripled|halved)\b|"
    r"\b(?:increased|decreased|rose|fell|grew|dropped|declined|climbed)\s+(?:by|to|from)\b"
)
PREDICTION = re.compile(
    r"\b(?:will|would|could|might|may|expected to|likely|unlikely|forecast|predicts?|"
    r"suggests?|potentially|possibly|probably|perhaps|appears? to|seems? to|plans? to)\b"
)
RULE = re.compile(
    r"\b(?:law|laws|legal|illegal|unlawful|rule|rules|regulation|regulations|banned|ban|"
    r"prohibited|required by|treaty|constitution|statute|policy)\b"
)
EVENT = re.compile(
    r"\b(?:crash(?:ed|es)?|went down|gone down|shot down|killed|died|dead|injured|wounded|"
    r"attack(?:ed)?|struck|strikes?|fired|launched|landed|exploded|collapsed|occurred|"
    r"took place|happened|announced|released|deployed|destroyed|lost|arrested|"
    r"conducted|began|begun|started|ended|signed|elected|resigned|invaded|captured|"
    r"evacuated|rescued|ejected|broke apart|eject|involved in|entering service|operating)\b"
)
FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|we|we're|our|my|me|us)\b")
SECOND_PERSON = re.compile(r"\b(?:you|your)\b")
NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|denied|denies)\b|n[’']t\b")
REPORTED_FACT = re.compile(rf"\b(?:{_SAY}|posted|reporting)\s+(?:\w+\s+){{0,4}}?that\b")
PRONOUN_START = re.compile(r"^[“\"']?(?:It|They|This|That|These|Those|He|She)\b")
NO_INFORMATION = re.compile(
    r"\b(?:little is known|not (?:yet )?(?:clear|known)|no (?:further )?(?:details|information)|"
    r"did not say|declined to|will be updated|breaking news|more information|"
    r"not immediately|unclear|it is unknown)\b"
)
#: A capital starting a word, not the sentence's first: the capital comes first in the pattern
#: (then `re` skips to the next capital), its word boundary and company are looked back at.
_PROPER = re.compile(r"[A-Z](?<=\b[A-Z])(?<!^[A-Z])(?<![.!?]\s[A-Z])[\w’'&.-]*")


def numbers(sentence: str) -> list[str]:
    """Quantities stated in the sentence, with what they count: "two aircraft", "about 70%"."""
    return [phrase for _, _, phrase in _amounts(sentence, list(_DATE.finditer(sentence)))]


def _amounts(sentence: str, dated: list[re.Match[str]]) -> list[tuple[int, int, str]]:
    """Each quantity with where it stands in the sentence; `dated` are its dates' matches."""
    masked = _mask(sentence, dated)
    lowered = masked.lower()
    # the number pattern reads lower case (cheaper); a letter whose lower case is longer would
    # shift the offsets, so such a rare sentence is read as it is
    pattern, text = (_NUMBER_LOWER, lowered) if len(lowered) == len(masked) else (_NUMBER, masked)
    found = []
    for match in pattern.finditer(text):
        phrase = " ".join(sentence[match.start() : match.end()].split()).rstrip(".,;:")
        words = phrase.split()
        if words[0].lower() == "one" and (len(words) == 1 or not words[1][:1].islower()):
            continue  # "one of the", "one U.S. ...": a pronoun more often than a count
        found.append((match.start(), match.end(), phrase))
    return found


def _mask(sentence: str, dated: list[re.Match[str]]) -> str:
    """Hide dates and model names (KC-135) from the number finder, keeping offsets."""
    pieces, position = [], 0
    for match in dated:
        pieces += [sentence[position : match.start()], " " * (match.end() - match.start())]
        position = match.end()
    masked = "".join(pieces) + sentence[position:]
    if "-" not in masked:  # no model name without one
        return masked
    return _DESIGNATOR.sub(lambda m: "X" * len(m.group()), masked)


def dates(sentence: str) -> list[str]:
    """Dates, weekdays and years, as written."""
    return _as_written(_DATE.finditer(sentence))


def _as_written(found: Iterable[re.Match[str]]) -> list[str]:
    return [" ".join(m.group().split()) for m in found]


def sources(sentence: str, words: frozenset[str] | None = None) -> list[str]:
    """Who the sentence attributes its content to: "CENTCOM", "CBS News", "an Air Force fact sheet".

    `words` are the sentence's lower-cased words (`_WORDS`), if the caller has them."""
    found: list[str] = []
    if words is None:
        words = frozenset(_WORDS.findall(sentence.lower()))
    if words.isdisjoint(_SAY_WORDS):
        return found  # every pattern needs "according to" or a verb of saying: most sentences have neither
    according = _ACCORDING.finditer(sentence) if not words.isdisjoint(_GUARDS["according"]) else ()
    for match in chain(according, _speakers_saying(sentence), _SAYS_SPEAKER.finditer(sentence)):
        name = _tidy_source(match.group(1))
        if also := _APPOSITIVE.match(sentence, match.end(1)):
            name = f"{name} ({also.group(1)})"  # "U.S. Central Command, or CENTCOM"
        if name and name not in found:
            found.append(name)
    return found


def _speakers_saying(sentence: str) -> Iterator[re.Match[str]]:
    """`_SPEAKER_SAYS.finditer(sentence)`, at a fraction of the cost: tried at every word, the
    pattern's speaker alternatives are most of the time spent on a sentence. A match ends at a
    verb of saying after white space, and its speaker spans at most `_SPEAKER_CHUNKS` pieces
    before that, so the search starts that many pieces before the next such verb: the text
    before cannot start a match."""
    verbs = [match.start() for match in _VERB.finditer(sentence)]
    backwards = sentence[::-1]
    position, verb = 0, 0
    while verb < len(verbs):
        if not sentence[verbs[verb] - 1 : verbs[verb]].isspace():
            verb += 1  # no speaker ends right before it
            continue
        # the reach runs backwards from the verb over white space and pieces
        reach = len(sentence) - _REACH.match(backwards, len(sentence) - verbs[verb]).end()  # type: ignore[union-attr]
        match = _SPEAKER_SAYS.search(sentence, max(position, reach))
        if match is None:
            return
        yield match
        position = match.end()
        while verb < len(verbs) and verbs[verb] < position:
            verb += 1


#: A short name given after a source: "U.S. Central Command, or CENTCOM".
_APPOSITIVE = re.compile(r",?\s+(?:or|aka|known as)\s+([A-Z]{2,}[A-Za-z]*)\b")
_LEADING_NOISE = re.compile(r"^(?:But|And|So|Yet|Then|Also|However|Meanwhile|American broadcaster|broadcaster)\s+")


def _tidy_source(name: str) -> str:
    name = _LEADING_NOISE.sub("", name.strip(" ,.;:")).strip()
    words = name.split()
    while words and words[-1].lower() in {"the", "of", "and", "for", "is", "are"}:
        words.pop()
    if not words or words[0] in {"It", "This", "That", "There", "He", "She", "They", "We", "I"}:
        return ""
    return " ".join(words)


def proper_nouns(sentence: str) -> int:
    """Capitalised words past the first: a cheap stand-in for named entities."""
    return len(_PROPER.findall(sentence))


@dataclass(frozen=True, slots=True)
class Cues:
    """Every cue the scorer and the kind classifier look at, read off a sentence once."""

    numbers: list[str]
    dates: list[str]
    sources: list[str]
    words: int
    proper: int
    attribution: bool
    quote: bool
    cause: bool
    comparison: bool
    prediction: bool
    rule: bool
    events: int
    negation: bool
    reported_fact: bool
    pronoun_start: bool
    designators: int
    first_person: bool
    second_person: bool
    question: bool
    no_information: bool


# What each pattern's every match contains, as a whole lower-case word: a sentence without any
# of a pattern's words cannot match it, and most sentences lack most of them, so `cues` runs a
# pattern only on a sentence that has one (`tests/test_extract.py` checks no guard hides a match).
_WORDS = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"\d")
#: Every word of the verbs of saying ("is reporting": "is", "reporting").
SAY_WORDS = frozenset(" ".join(_SAY.split("|")).split()) - {"is", "are"}
_SAY_WORDS = frozenset(alternative.split()[-1] for alternative in _SAY.split("|")) | {"according"}
_GUARDS: dict[str, frozenset[str]] = {
    "attribution": _SAY_WORDS | {"citing", "quoted"},
    "according": frozenset({"according"}),
    "cause": frozenset("because due caused causes causing cause result resulted results led leads lead owing thanks "
                       "blamed responsible unrelated linked attributed after".split()),
    "comparison": frozenset("than most least largest biggest highest lowest oldest newest first third fourth fifth "
                            "last only record among compared doubled tripled halved increased decreased rose fell "
                            "grew dropped declined climbed".split()),
    "prediction": frozenset("will would could might may expected likely unlikely forecast predict predicts suggest "
                            "suggests potentially possibly probably perhaps appear appears seem seems plan "
                            "plans".split()),
    "rule": frozenset("law laws legal illegal unlawful rule rules regulation regulations banned ban prohibited "
                      "required treaty constitution statute policy".split()),
    "event": frozenset("crash crashed crashes went gone shot killed died dead injured wounded attack attacked struck "
                       "strike strikes fired launched landed exploded collapsed occurred took happened announced "
                       "released deployed destroyed lost arrested conducted began begun started ended signed "
                       "elected resigned invaded captured evacuated rescued ejected broke eject involved entering "
                       "operating".split()),
    "first_person": frozenset("i we our my me us".split()),
    "second_person": frozenset({"you", "your"}),
    "negation": frozenset("not no never neither nor denied denies".split()),
    "no_information": frozenset("little not no did declined updated breaking information unclear unknown".split()),
    # with a digit, which every other date has
    "date": frozenset(MONTHS.lower().replace("\\.", "").replace("?", "").split("|"))
    | {"sep", "sept"} | frozenset(WEEKDAYS.lower().split("|")) | {"yesterday", "today", "tonight", "last"},
    # with a digit
    "number": NUMBER_WORDS | (ORDINALS - {"first", "second"}),
}


def cues(sentence: str) -> Cues:
    lower = sentence.lower()
    words = frozenset(_WORDS.findall(lower))

    def has(cue: str) -> bool:
        return not words.isdisjoint(_GUARDS[cue])

    digit = _DIGIT.search(sentence) is not None
    dated = list(_DATE.finditer(sentence)) if digit or has("date") else []
    # a letter whose lower case is longer ("İ") sends `_amounts` to its case-insensitive pattern,
    # which matches "fıve" as "five": no word guard holds for such a sentence
    counted = digit or has("number") or len(lower) != len(sentence)
    amounts = _amounts(sentence, dated) if counted else []
    # the sentence with its amounts blanked out, so "more than 20" is not read as a comparison
    unquantified, comparison = lower, has("comparison")
    if amounts:
        pieces, position = [], 0
        for start, end, _ in amounts:
            pieces.append(sentence[position:start])
            position = end
        unquantified = " ".join(pieces + [sentence[position:]]).lower()
        # blanking an amount can leave part of a word ("the 5-yearmost"): its words anew
        comparison = not _GUARDS["comparison"].isdisjoint(_WORDS.findall(unquantified))
    return Cues(
        numbers=[phrase for _, _, phrase in amounts],
        dates=_as_written(dated),
        sources=sources(sentence, words),
        words=len(sentence.split()),
        proper=proper_nouns(sentence),
        attribution=has("attribution") and bool(ATTRIBUTION.search(lower)),
        quote=bool(QUOTE.search(sentence)),
        cause=has("cause") and bool(CAUSE.search(lower)),
        comparison=comparison and bool(COMPARISON.search(unquantified)),
        prediction=has("prediction") and bool(PREDICTION.search(lower)),
        rule=has("rule") and bool(RULE.search(lower)),
        events=len(EVENT.findall(lower)) if has("event") else 0,
        negation=(has("negation") or "n't" in lower or "n’t" in lower) and bool(NEGATION.search(lower)),
        reported_fact=bool(REPORTED_FACT.search(lower)) if "that" in lower else False,
        pronoun_start=bool(PRONOUN_START.search(sentence)),
        designators=len(_DESIGNATOR.findall(sentence)) if digit else 0,
        first_person=has("first_person") and bool(FIRST_PERSON.search(sentence)),
        second_person=has("second_person") and bool(SECOND_PERSON.search(lower)),
        question=sentence.rstrip("”’\"') ").endswith("?"),
        no_information=has("no_information") and bool(NO_INFORMATION.search(lower)),
    )
