"""Showing untrusted article text on a terminal without letting it talk to the terminal.

Articles come from the open web. Control characters (ESC, OSC sequences that set the window title
or the clipboard, C1 controls), bidi overrides that reorder what the analyst reads, and
zero-width characters that hide inside words are each replaced by one visible stand-in, so the
display has exactly one character per character of the stored text and offsets still line up.
"""

from __future__ import annotations

from difflib import SequenceMatcher

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e"
_NEUTRAL = "\ufffd"  # REPLACEMENT CHARACTER: visible, one cell, never a control


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        if chr(code) not in "\n":
            table[code] = chr(0x2400 + code)  # ␀ .. ␟ (CONTROL PICTURES)
    table[ord("\t")] = " "
    table[0x7F] = "\u2421"  # ␡
    for code in range(0x80, 0xA0):
        table[code] = _NEUTRAL
    for ch in _BIDI + _INVISIBLE:
        table[ord(ch)] = _NEUTRAL
    table[0x2028] = " "  # LINE SEPARATOR and PARAGRAPH SEPARATOR break layouts
    table[0x2029] = " "
    return table


_TABLE = _build_table()


def displayable(text: str) -> str:
    """`text` with every dangerous or invisible character replaced, length unchanged."""
    return text.translate(_TABLE)


def one_line(text: str) -> str:
    """`displayable`, with newlines folded too: for table cells and status lines."""
    return displayable(text).replace("\n", " ")


def typed(text: str) -> str:
    """Text an analyst types or pastes into an editor, as it will be shown and saved: line
    breaks as the editor keeps them, every other control made visible. A pasted ESC or
    right-to-left override must not reach the terminal, or be saved unseen."""
    return displayable(text.replace("\r\n", "\n").replace("\r", "\n"))


def keep_hidden(original: str, shown: str, edited: str) -> str:
    """What to save after an analyst edited `shown` (`original` with its hidden characters made
    visible, one for one) into `edited`.

    The characters the analyst left alone keep their stored form, so opening a note to change
    its evidence does not rewrite an Arabic note's direction marks; what the analyst typed is
    saved as it was shown. Shown again, the result reads exactly as `edited` did."""
    if len(shown) != len(original):
        raise ValueError("shown must stand for original one character for one")
    if shown == original:
        return edited  # nothing hidden: the common case
    if edited == shown:
        return original
    head = 0
    limit = min(len(shown), len(edited))
    while head < limit and shown[head] == edited[head]:
        head += 1
    tail = 0
    while tail < limit - head and shown[-1 - tail] == edited[-1 - tail]:
        tail += 1
    middle_shown, middle_edited = shown[head : len(shown) - tail], edited[head : len(edited) - tail]
    middle = []
    matcher = SequenceMatcher(None, middle_shown, middle_edited, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        middle.append(original[head + i1 : head + i2] if tag == "equal" else middle_edited[j1:j2])
    return original[:head] + "".join(middle) + original[len(original) - tail :]


def for_terminal(text: str) -> str:
    """A document (a claim sheet, JSON) printed on a terminal rather than saved: every line
    kept, nothing in it able to move the cursor, set the title or the clipboard, or reorder
    what is read. Written to a file or a pipe, the same document stays byte for byte."""
    return displayable(text.removeprefix("\ufeff").replace("\r\n", "\n"))
