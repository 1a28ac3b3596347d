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


def typed(text: str) -> str:
    """Text an analyst types or pastes into an editor, as it will be shown and saved: line
    breaks as the editor keeps them, every other control made visible. A pasted ESC or
    right-to-left override must not reach the terminal, or be saved unseen."""
    return displayable(text.replace("\r\n", "\n").replace("\r", "\n"))


#: The most characters an edit may add or take away, between the first and the last it
#: changes, for `keep_hidden` to line the note up again character by character: aligning costs
#: the square of it (a tenth of a second at this size). Past it, only the untouched start and
#: end of the note keep their hidden characters; the rest is saved as it was shown.
MAX_CHANGES = 600


def keep_hidden(original: str, shown: str, edited: str) -> str:
    """What to save after an analyst edited `shown` (`original` with its hidden characters made
    visible, one for one) into `edited`.

    The characters the analyst left alone keep their stored form, so opening a note to change
    its evidence does not rewrite an Arabic note's direction marks; what the analyst typed is
    saved as it was shown. Shown again, the result reads exactly as `edited` did, and it holds
    no hidden character the note did not, in no other order. Where an edit lines up two ways
    ("��" to "�": which one went?) either reading is kept."""
    if len(shown) != len(original):
        raise ValueError("shown must stand for original one character for one")
    if shown == original:
        return edited  # nothing hidden: the common case
    if edited == shown:
        return original
    head = _common(shown, 0, edited, 0)
    tail = _common(shown[::-1], 0, edited[::-1], 0)
    tail = min(tail, len(shown) - head, len(edited) - head)
    middle_shown, middle_edited = shown[head : len(shown) - tail], edited[head : len(edited) - tail]
    runs = _same_runs(middle_shown, middle_edited, MAX_CHANGES)
    middle: list[str] = []
    done = 0  # of middle_edited
    for at_shown, at_edited, size in runs or ():
        middle += (middle_edited[done:at_edited], original[head + at_shown : head + at_shown + size])
        done = at_edited + size
    middle.append(middle_edited[done:])
    return original[:head] + "".join(middle) + original[len(original) - tail :]


def _common(a: str, i: int, b: str, j: int) -> int:
    """How many characters `a[i:]` and `b[j:]` share at their start, by comparing slices of
    doubling length (the comparisons run in C, not a Python loop per character)."""
    limit = min(len(a) - i, len(b) - j)
    if limit <= 0 or a[i] != b[j]:
        return 0
    same, size = 1, 2
    while size <= limit and a[i : i + size] == b[j : j + size]:
        same, size = size, size * 2
    size = min(size, limit + 1)  # a length known not to match (or one past the end)
    while size - same > 1:
        middle = (same + size) // 2
        if a[i : i + middle] == b[j : j + middle]:
            same = middle
        else:
            size = middle
    return same


def _same_runs(a: str, b: str, max_changes: int) -> list[tuple[int, int, int]] | None:
    """The runs `a` and `b` share, as (start in a, start in b, length), in order, along a
    shortest edit from one to the other (Myers' O(ND) algorithm); None past `max_changes`."""
    n, m = len(a), len(b)
    furthest: dict[int, int] = {1: 0}  # on each diagonal k = x - y, the furthest x reached
    steps: list[dict[int, tuple[int, int, int]]] = []  # per edit: diagonal -> (from k, snake start, end)
    for changes in range(min(max_changes, n + m) + 1):
        reached: dict[int, int] = {}
        step: dict[int, tuple[int, int, int]] = {}
        for k in range(-changes, changes + 1, 2):
            x, came_from = -1, 0
            if furthest.get(k + 1, -1) >= 0 and furthest[k + 1] - k <= m:  # one down: a character of b added
                x, came_from = furthest[k + 1], k + 1
            if 0 <= furthest.get(k - 1, -1) < n and furthest[k - 1] + 1 > x:  # one right: one of a taken away
                x, came_from = furthest[k - 1] + 1, k - 1
            if x < 0:
                reached[k] = -1
                continue
            end = x + _common(a, x, b, x - k)
            reached[k], step[k] = end, (came_from, x, end)
            if end == n and end - k == m:
                steps.append(step)
                return _runs_back(steps, n - m)
        steps.append(step)
        furthest = reached
    return None


def _runs_back(steps: list[dict[int, tuple[int, int, int]]], k: int) -> list[tuple[int, int, int]]:
    """The shared runs of the edit path that ends on diagonal `k`, first to last."""
    runs = []
    for step in reversed(steps):
        came_from, start, end = step[k]
        if end > start:
            runs.append((start, start - k, end - start))
        k = came_from
    return runs[::-1]


def for_terminal(text: str) -> str:
    """A document (a claim sheet, JSON) printed on a terminal rather than saved: every line
    kept, nothing in it able to move the cursor, set the title or the clipboard, or reorder
    what is read. Written to a file or a pipe, the same document stays byte for byte."""
    return displayable(text.removeprefix("\ufeff").replace("\r\n", "\n"))
