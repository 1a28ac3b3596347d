"""Showing untrusted article text on a terminal without letting it talk to the terminal.

Articles come from the open web. Control characters (ESC, OSC sequences that set the window title
or the clipboard, C1 controls), bidi overrides that reorder what the analyst reads, and
zero-width characters that hide inside words are each replaced by one visible stand-in, so the
display has exactly one character per character of the stored text and offsets still line up.
"""

from __future__ import annotations

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
