"""Editors for untrusted text: a note, a line of evidence, a search, a file name.

Textual's `TextArea` and `Input` send what they hold to the terminal as it is: a note merged
from another case, a path, or a paste can carry ESC sequences (the window title, the clipboard)
and bidi overrides that reorder what the analyst reads. These show every such character as the
article panes do (`safetext.displayable`, one stand-in per character), neutralise what is typed
or pasted the same way, and hand back the stored text exact where the analyst left it alone.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input, TextArea
from textual.widgets.text_area import Edit, EditResult

from workbench.safetext import displayable, keep_hidden, one_line, typed


class SafeTextArea(TextArea):
    """A multi-line editor whose text never talks to the terminal. `stored_text` is what to save."""

    def __init__(self, text: str = "", **options: Any) -> None:
        self._original = text
        self._shown = displayable(text)
        super().__init__(self._shown, **options)

    def edit(self, edit: Edit) -> EditResult:
        """Every change (a key, a paste, the app's clipboard) passes here, text and all."""
        edit.text = typed(edit.text)
        return super().edit(edit)

    @property
    def stored_text(self) -> str:
        """The text as the analyst left it, with the characters they did not touch as stored."""
        return keep_hidden(self._original, self._shown, self.text)


class SafeInput(Input):
    """A one-line editor whose value never talks to the terminal. `stored_value` is what to use."""

    def __init__(self, value: str = "", **options: Any) -> None:
        self._original = value
        self._shown = one_line(value)
        super().__init__(self._shown, **options)

    def replace(self, text: str, start: int, end: int) -> None:
        """Every change (a key, a paste, the app's clipboard) passes here."""
        super().replace(one_line(text), start, end)

    def reset(self, value: str) -> None:
        """Hold a new stored value (shown with its controls made visible)."""
        self._original, self._shown = value, one_line(value)
        self.value = self._shown

    @property
    def stored_value(self) -> str:
        """The value as the analyst left it, with the characters they did not touch as stored."""
        return keep_hidden(self._original, self._shown, self.value)


class PasteArea(SafeTextArea):
    """Where an article is pasted: shown inert like any untrusted text, but kept exactly as
    pasted (`stored_text`), hidden characters and all, for an article is stored byte for byte
    and its claims point into it. Only the terminal's line ends are made newlines."""

    async def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # TextArea's own handler would insert the text a second time
        event.stop()  # handled: up at the app, a paste is handed to the focused widget again
        if self.read_only:
            return
        pasted = event.text.replace("\r\n", "\n").replace("\r", "\n")
        before = self.stored_text
        start, end = sorted((self.selection.start, self.selection.end))
        head, tail = self.document.get_index_from_location(start), self.document.get_index_from_location(end)
        result = self.replace(pasted, start, end, maintain_selection_offset=False)  # shown through `edit`
        self.move_cursor(result.end_location)
        self.focus()
        after = before[:head] + pasted + before[tail:]
        if displayable(after) == self.text:  # one stand-in a character: what is kept is what is shown
            self._original, self._shown = after, self.text
