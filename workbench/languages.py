"""Which language an article is written in, guessed from its function words.

The line-up pairs claims by shared words, which only works within one language; claims of
articles in different languages are paired by meaning instead (`workbench.crosslingual`). That
needs each article's language, cheaply and without a dependency: every language writes most of
its sentences with a few dozen short function words ("the", "of", "was"; "el", "de", "fue";
"le", "des", "été"), and which of those a text uses names its language. A text's words are
looked up in one table; a word several languages share ("de", "la", "in") counts for each of
them, divided among them, so the words only one language has decide. Too few known words, or
two languages too close, and the answer is "" (unsure) rather than a guess.

The word lists are common function words written for this module (articles, prepositions,
pronouns, conjunctions, forms of "be" and "have"), not words counted from any article.
"""

from __future__ import annotations

import re
from collections import defaultdict

#: The languages guessed, by ISO 639-1 code; "" means unsure (or another language).
LANGUAGES = ("en", "es", "fr", "de", "it", "pt")

_FUNCTION_WORDS = {
    "en": """the of and to in a is was that for on with as by at from it he she they his her
        their has have had were are been be this which would will an not but or who what when
        there said after its about we you our into than more also over could did these those""",
    "es": """el la los las de del y en que a un una es fue por para con se su sus al lo como pero
        más este esta estos estas ese esa son han ha hay muy también sobre entre cuando donde
        porque desde hasta ya sin ni le les sino tras según fueron está están era otro otra dijo
        nos me te mi si todo todos nada nadie algo durante mientras aunque""",
    "fr": """le la les de des du un une et est en que qui dans pour pas au aux sur par avec ce cette
        ces il elle ils elles sont ont a été plus mais ou son sa ses leur leurs selon ne se nous
        vous était être avait aussi après comme sans lors l' d' qu' n' j' c' s'
        tout toute tous quand où parce jusqu' pendant aucun""",
    "de": """der die das den dem des ein eine einen einem einer und ist nicht mit von zu im auf für
        sich auch es wurde wurden hat haben sind bei nach aus dass wie oder aber noch vor sie er
        werden war waren wird am um zum zur über nur durch bis in an ich wir ihr""",
    "it": """il lo la gli le di del della dei degli delle e è che non un una uno per con su nel nella
        al alla sono ha hanno anche più come ma questo questa dal dalla tra fra stato stata era
        essere dopo secondo ci si sua suo loro molto in a sia stati l' dell' nell' all' dall' sull'
        un' tutto tutti quando dove perché mentre durante fino nessuno""",
    "pt": """o os a as de do da dos das e é em no na nos nas um uma com não foi por para pelo pela
        ao aos à que se seu sua mais mas também como ele ela eles são está estão ser após segundo
        entre sobre isso já muito
        quando onde porque até durante enquanto ninguém tudo todos nosso nossa""",
}


def _weights() -> dict[str, dict[str, float]]:
    """Each function word's share for each language that has it: 1 / how many languages do."""
    owners: dict[str, list[str]] = defaultdict(list)
    for language, words in _FUNCTION_WORDS.items():
        for word in set(words.split()):
            owners[word].append(language)
    return {word: {language: 1 / len(langs) for language in langs} for word, langs in owners.items()}


_WEIGHTS = _weights()
#: Letters with marks that some of these languages write and others do not ("ñ", "ã", "ß"): each
#: one is a little evidence, shared out as a word's is.
_MARKS = {
    "ñ": "es", "¿": "es", "¡": "es", "á": "es pt", "í": "es pt", "ó": "es pt it", "ú": "es pt",
    "ã": "pt", "õ": "pt", "ç": "fr pt", "â": "fr pt", "ê": "fr pt", "ô": "fr pt", "è": "fr it",
    "à": "fr it pt", "ù": "fr it", "ì": "it", "ò": "it", "î": "fr", "û": "fr", "ë": "fr",
    "ï": "fr", "œ": "fr", "ä": "de", "ö": "de", "ü": "de", "ß": "de",
}
#: A mark counts for this much of a word: a word says more than a letter.
MARK_WEIGHT = 0.5
_MARK_WEIGHTS = {mark: {lang: MARK_WEIGHT / len(langs.split()) for lang in langs.split()} for mark, langs in _MARKS.items()}
_MARK = re.compile("[" + "".join(_MARKS) + "]")
#: A word, with the apostrophe of an elided article or pronoun ("l'", "qu'", "dell'").
_WORD = re.compile(r"[^\W\d_]+'?")
#: Enough of a long article to tell its language; reading further changes nothing but the time.
_MAX_CHARS = 4000
#: At least this much evidence (weighted function words) before naming a language...
MIN_EVIDENCE = 2.0
#: ...and the winner this many times the runner-up's, else the two are too close to call.
MIN_MARGIN = 1.5
#: Function words make up a third to a half of the words of running text in these languages; a
#: text where the best of them explains less is in another language (or is a list of names).
MIN_SHARE = 0.12


def scores(text: str) -> dict[str, float]:
    """Each language's weighted count of function words in `text` (only languages with any)."""
    found: dict[str, float] = defaultdict(float)
    text = text[:_MAX_CHARS].lower().replace("’", "'")
    for word in _WORD.findall(text):
        known = _WEIGHTS.get(word) or _WEIGHTS.get(word.rstrip("'"), {})  # "it's" reads as "it"
        for language, weight in known.items():
            found[language] += weight
    for mark in _MARK.findall(text):
        for language, weight in _MARK_WEIGHTS[mark].items():
            found[language] += weight
    return dict(found)


def language(text: str) -> str:
    """The language `text` is written in ("en", "es", "fr", "de", "it", "pt"), or "" when the
    text is too short, in another language, or too close between two of these to call."""
    words = len(_WORD.findall(text[:_MAX_CHARS]))
    ranked = sorted(scores(text).items(), key=lambda item: item[1], reverse=True)
    if not ranked:
        return ""
    best, evidence = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if evidence < MIN_EVIDENCE or evidence < MIN_MARGIN * runner_up or evidence < MIN_SHARE * words:
        return ""
    return best
