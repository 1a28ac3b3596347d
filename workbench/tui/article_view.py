"""One article's text, wrapped to the pane, with its claims highlighted by status.

Built on Textual's line API (as Textualize's toolong does): the text is wrapped once per width
into a list of line offsets, and only the lines on screen are turned into `Strip`s, so a long
article costs no more to show than a short one. Each claim starts with its status symbol
(· ? ✓ ✗) so the marks read in monochrome as well as in colour.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from workbench.model import Article, Claim, Status
from workbench.safetext import displayable

_WORD = re.compile(r"[^ \n]*[ ]*")
_NBSP = "\u00a0"
#: Shown before a sentence the finder did not pick, when sentences are shown.
SENTENCE_SYMBOL = "∘"


@dataclass(slots=True)
class Highlight:
    """What the view needs to know of a claim to paint it."""

    claim_id: int
    start: int
    end: int
    status: Status
    is_claim: bool

    @classmethod
    def of(cls, claim: Claim) -> Highlight:
        return cls(claim.id, claim.start, claim.end, claim.status, claim.is_claim)


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """A scrollable article with claim highlights; posts `ClaimClicked` on a mouse click.

    Up and down are left to the screen (they move between claims); the page keys scroll.
    """

    BINDINGS = [
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
    ]

    COMPONENT_CLASSES = {
        "article-view--unmarked",
        "article-view--open",
        "article-view--verified",
        "article-view--disputed",
        "article-view--sentence",
        "article-view--selected",
        "article-view--match",
        "article-view--marker",
    }

    DEFAULT_CSS = """
    ArticleView {
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    """

    class ClaimClicked(Message):
        def __init__(self, view: ArticleView, claim_id: int) -> None:
            super().__init__()
            self.view = view
            self.claim_id = claim_id

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        self._highlights: list[Highlight] = []
        self._starts: list[int] = []
        self.selected: int | None = None
        self.matches: frozenset[int] = frozenset()
        self.show_sentences = False
        #: Claims another article contradicts: "≠" follows their status symbol.
        self.conflicted: frozenset[int] = frozenset()
        self._index: dict[int, int] = {}
        self._display = ""
        self._offsets = array("l")
        self._markers: dict[int, int] = {}
        self._marker_at: dict[int, int] = {}
        self._marker_sources: list[int] = []
        self._line_starts: list[int] = []
        self._line_ends: list[int] = []
        self._wrap_width = 0
        self._strip_cache: dict[int, Strip] = {}
        #: Styles by what they paint (status, marker, selected or match): looking up the
        #: component styles per segment cost most of a key press on a large case.
        self._style_cache: dict[tuple[str, bool, str], Style] = {}

    # -- what to show -------------------------------------------------------------------------

    def show(self, article: Article | None, claims: Iterable[Claim]) -> None:
        """Show `article` with its `claims` (sentences included; shown only if asked)."""
        self.article = article
        self._highlights = sorted((Highlight.of(c) for c in claims), key=lambda h: h.start)
        self._starts = [h.start for h in self._highlights]
        self._index = {h.claim_id: i for i, h in enumerate(self._highlights)}
        self._rebuild()
        self.scroll_to(y=0, animate=False)

    def update_claim(self, claim: Claim) -> None:
        """Repaint one claim after its status changed (or it was promoted or dismissed)."""
        index = self._index.get(claim.id)
        if index is None:
            return
        changed_layout = self._highlights[index].is_claim != claim.is_claim and not self.show_sentences
        self._highlights[index] = Highlight.of(claim)
        if changed_layout:
            self._rebuild()
        else:
            self._repaint()

    def set_show_sentences(self, show: bool) -> None:
        if show != self.show_sentences:
            self.show_sentences = show
            self._rebuild()

    def set_focus_claims(self, selected: int | None, matches: Iterable[int] = ()) -> None:
        """Which claim is selected here and which claims match it; repaint only if changed."""
        matches = frozenset(matches)
        if selected != self.selected or matches != self.matches:
            changed = {self.selected, selected} | (self.matches ^ matches)
            self.selected = selected
            self.matches = matches
            self._repaint_claims(changed)

    def set_conflicted(self, conflicted: frozenset[int]) -> None:
        if conflicted != self.conflicted:
            self.conflicted = conflicted
            self._repaint()

    def has_claim(self, claim_id: int) -> bool:
        return claim_id in self._index

    def scroll_to_claim(self, claim_id: int) -> None:
        """Bring a claim into view, a third of the way down, unless it is fully visible already."""
        span = self._claim_lines(claim_id)
        if span is None:
            return
        first, last = span
        top = round(self.scroll_y)
        height = max(1, self.scrollable_content_region.height)
        if first >= top and last < top + height:
            return
        self.scroll_to(y=max(0, first - height // 3), animate=False)

    # -- layout -------------------------------------------------------------------------------

    def _visible(self, highlight: Highlight) -> bool:
        return highlight.is_claim or self.show_sentences

    def _rebuild(self) -> None:
        """Insert status markers into the display text and wrap it to the current width."""
        text = displayable(self.article.text) if self.article else ""
        parts: list[str] = []
        offsets = array("l")
        markers: dict[int, int] = {}
        marker_sources: list[int] = []
        position = 0
        length = 0
        for highlight in self._highlights:
            if not self._visible(highlight) or highlight.start < position:
                continue
            parts.append(text[position : highlight.start])
            offsets.extend(range(position, highlight.start))
            length += highlight.start - position
            markers[length] = highlight.claim_id
            marker_sources.append(highlight.start)
            parts.append("·" + _NBSP)
            offsets.extend((-1, -1))
            length += 2
            position = highlight.start
        parts.append(text[position:])
        offsets.extend(range(position, len(text)))
        self._display = "".join(parts)
        self._offsets = offsets
        self._markers = markers
        self._marker_at = {claim_id: index for index, claim_id in markers.items()}
        self._marker_sources = marker_sources
        self._wrap_width = 0
        self._rewrap()

    def _rewrap(self) -> None:
        width = max(10, self.scrollable_content_region.width or self.size.width or 80)
        if width == self._wrap_width and self._line_starts:
            return
        self._wrap_width = width
        self._line_starts, self._line_ends = wrap(self._display, width)
        self._resize_content(Size(width, len(self._line_starts)))
        self._repaint()

    def _resize_content(self, size: Size) -> None:
        """A new length of text: the scrollbar and the scroll range follow, but the screen is
        not laid out again (setting `virtual_size` would: the whole screen redrawn for every
        article shown, a third of a key press on a large case). The pane's size is the same."""
        if size != self.virtual_size:
            self.set_reactive(ArticleView.virtual_size, size)
            self._scroll_update(size)

    def _repaint(self) -> None:
        self._strip_cache.clear()
        self.refresh()

    def _repaint_claims(self, claim_ids: Iterable[int | None]) -> None:
        """Redraw only the lines these claims sit on: moving the selection from one claim to
        the next repaints two claims, not the pane."""
        for claim_id in claim_ids:
            span = self._claim_lines(claim_id) if claim_id is not None else None
            if span is not None:
                for line in range(span[0], span[1] + 1):
                    self._strip_cache.pop(line, None)
                    self.refresh_line(line)

    def notify_style_update(self) -> None:
        """The theme or the CSS changed: every cached style and line is stale."""
        self._style_cache.clear()
        self._strip_cache.clear()
        super().notify_style_update()

    def on_resize(self, event: events.Resize) -> None:
        self._rewrap()

    def _claim_lines(self, claim_id: int) -> tuple[int, int] | None:
        highlight = self._by_id(claim_id)
        if highlight is None or not self._display:
            return None
        first = self._marker_at.get(claim_id, self._display_index(highlight.start))
        last = self._display_index(max(highlight.start, highlight.end - 1))
        return self._line_of(first), self._line_of(last)

    def _display_index(self, offset: int) -> int:
        """Where a character of the article sits in the display text (after the markers)."""
        shift = 2 * bisect.bisect_right(self._marker_sources, offset)
        return min(offset + shift, len(self._display) - 1)

    def _line_of(self, index: int) -> int:
        return max(0, bisect.bisect_right(self._line_starts, index) - 1)

    # -- painting -----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        line = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        base = self._style(None)  # the widget's own style, cached: Textual works it out on each call
        if line >= len(self._line_starts):
            return Strip.blank(width, base)
        strip = self._strip_cache.get(line)
        if strip is None:
            strip = Strip(self._segments(self._line_starts[line], self._line_ends[line]))
            self._strip_cache[line] = strip
        return strip.extend_cell_length(width, base).crop(0, width)

    def _segments(self, start: int, end: int) -> list[Segment]:
        segments = []
        index = start
        while index < end:
            key = self._key_at(index)
            stop = index + 1
            while stop < end and self._key_at(stop) == key:
                stop += 1
            text = self._display[index:stop]
            if key is not None and key[0] == "marker":
                text = self._marker_text(key[1]) + text[1:]
            elif key is not None and (index - 1) in self._markers and key[1] in self.conflicted:
                text = "≠" + text[1:]  # the space after the status symbol
            segments.append(Segment(text, self._style(key)))
            index = stop
        return segments

    def _key_at(self, index: int) -> tuple[str, int] | None:
        """What paints the display character at `index`: a claim, its marker, or nothing."""
        offset = self._offsets[index]
        if offset < 0:
            if index in self._markers:
                return ("marker", self._markers[index])
            return ("claim", self._markers[index - 1])  # the NBSP after a marker
        at = bisect.bisect_right(self._starts, offset) - 1
        if at >= 0:
            highlight = self._highlights[at]
            if offset < highlight.end and self._visible(highlight):
                return ("claim", highlight.claim_id)
        return None

    def _by_id(self, claim_id: int) -> Highlight | None:
        index = self._index.get(claim_id)
        return None if index is None else self._highlights[index]

    def _marker_text(self, claim_id: int) -> str:
        highlight = self._by_id(claim_id)
        if highlight is None:
            return " "
        return highlight.status.symbol if highlight.is_claim else SENTENCE_SYMBOL

    def _style(self, key: tuple[str, int] | None) -> Style:
        highlight = None if key is None else self._by_id(key[1])
        if key is None or highlight is None:
            what = ("", False, "")
        else:
            role = "selected" if highlight.claim_id == self.selected else "match" if highlight.claim_id in self.matches else ""
            what = (highlight.status.value if highlight.is_claim else "sentence", key[0] == "marker", role)
        style = self._style_cache.get(what)
        if style is None:
            style = self._style_cache[what] = self._compose_style(*what)
        return style

    def _compose_style(self, name: str, marker: bool, role: str) -> Style:
        style = self.rich_style
        if name:
            style += self.get_component_rich_style(f"article-view--{name}")
        if marker:
            style += self.get_component_rich_style("article-view--marker")
        if role:
            style += self.get_component_rich_style(f"article-view--{role}")
        return style

    # -- mouse --------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        line = round(self.scroll_y) + event.y
        if not 0 <= line < len(self._line_starts):
            return
        index = _index_at_cell(self._display, self._line_starts[line], self._line_ends[line], event.x)
        if index is None:
            return
        key = self._key_at(index)
        if key is not None:
            self.post_message(self.ClaimClicked(self, key[1]))


def _index_at_cell(text: str, start: int, end: int, x: int) -> int | None:
    cells = 0
    for index in range(start, end):
        cells += cell_len(text[index])
        if cells > x:
            return index
    return None


def wrap(text: str, width: int) -> tuple[list[int], list[int]]:
    """Greedy word wrap by terminal cells; returns parallel lists of line starts and ends.

    Lines break only at spaces (an NBSP keeps a marker with its word), a word wider than the
    line is cut, and every newline starts a new line. Offsets index into `text`.
    """
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for paragraph in text.split("\n"):
        para_end = position + len(paragraph)
        if not paragraph:
            starts.append(position)
            ends.append(position)
        line_start, line_cells = position, 0
        for match in _WORD.finditer(paragraph):
            word = match.group()
            if not word:
                continue
            word_start = position + match.start()
            visible = cell_len(word.rstrip(" "))
            if line_cells and line_cells + visible > width:
                starts.append(line_start)
                ends.append(word_start)
                line_start, line_cells = word_start, 0
            while visible > width:  # a word longer than the line: cut it
                cut = _cut_at_cells(text, word_start, width)
                starts.append(word_start)
                ends.append(cut)
                word_start = line_start = cut
                visible = cell_len(text[cut : position + match.end()].rstrip(" "))
                line_cells = 0
            line_cells += cell_len(text[word_start : position + match.end()])
        if paragraph:
            starts.append(line_start)
            ends.append(para_end)
        position = para_end + 1
    return starts, ends


def _cut_at_cells(text: str, start: int, width: int) -> int:
    cells = 0
    index = start
    while index < len(text):
        cells += cell_len(text[index])
        if cells > width:
            break
        index += 1
    return max(index, start + 1)
