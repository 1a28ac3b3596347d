"""The claims list: one line per claim (id, article, kind, score, status, grade, text).

Built on Textual's line API, as the article panes are: the list holds the claims and draws only
the lines on screen, so a case of forty thousand claims lists as fast as one of forty, and
costs no widget, row object or rendered cell per claim. The header line stays put while the
rows scroll under it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from workbench.model import Article, Claim, grade
from workbench.safetext import one_line

#: Fixed columns and their widths; the claim text takes the rest of the row.
COLUMNS = (("#", 6), ("Art", 4), ("Kind", 10), ("Score", 5), ("Status", 10), ("Grade", 5))
#: Theme colours for the status cell; the symbol and the word carry the status without them.
STATUS_COLOUR = {"open": "warning", "verified": "success", "disputed": "error"}
#: Blank cells either side of each column.
PADDING = 1


class ClaimList(ScrollView, can_focus=True, inherit_bindings=False):
    """The claims, one line each, with a cursor; posts `Highlighted` when the cursor moves.

    Up and down are the screen's (they move between claims, here or in an article pane); the
    page keys, home and end move the cursor a screenful or to an end.
    """

    BINDINGS = [
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "to_end(-1)", "First", show=False),
        Binding("end", "to_end(1)", "Last", show=False),
    ]

    COMPONENT_CLASSES = {"claim-list--header", "claim-list--cursor"}

    DEFAULT_CSS = """
    ClaimList {
        scrollbar-gutter: stable;
        overflow-x: hidden;
        background: $surface;
        & > .claim-list--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .claim-list--header { background: ansi_bright_blue; color: ansi_default; }
        & > .claim-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .claim-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    class Highlighted(Message):
        """The cursor is on another claim."""

        def __init__(self, claim_list: ClaimList, row: int, claim_id: int) -> None:
            super().__init__()
            self.claim_list = claim_list
            self.row = row
            self.claim_id = claim_id

        @property
        def control(self) -> ClaimList:
            return self.claim_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[Claim] = []
        self._row_of: dict[int, int] = {}
        self._articles: Mapping[int, Article] = {}
        self.cursor_row = 0
        #: Claims another article contradicts: their text starts with "≠".
        self.conflicted: frozenset[int] = frozenset()
        #: Claims a search found by meaning, not by its words: their text starts with "≈".
        self.by_meaning: Collection[int] = frozenset()

    # -- what is listed -----------------------------------------------------------------------

    def load(self, claims: Iterable[Claim], articles: Mapping[int, Article], keep: int | None = None,
             by_meaning: Collection[int] = frozenset()) -> None:
        """Replace the rows; keep the cursor on claim `keep` if it is still listed; `by_meaning`
        are the claims a search found by meaning alone."""
        self._rows = list(claims)
        self.by_meaning = by_meaning
        self._row_of = {claim.id: row for row, claim in enumerate(self._rows)}
        self._articles = articles
        self.virtual_size = Size(self.size.width, len(self._rows) + 1)
        row = self._row_of.get(keep, 0) if keep is not None else 0
        self._move(min(row, max(0, len(self._rows) - 1)), announce=False)
        self.refresh()

    def update_claim(self, claim: Claim) -> None:
        """Redraw one row after a mark."""
        row = self._row_of.get(claim.id)
        if row is not None:
            self._rows[row] = claim
            self.refresh_line(row + 1)

    def set_articles(self, articles: Mapping[int, Article]) -> None:
        """A source was graded: its claims' grade cells change."""
        self._articles = articles
        self.refresh()

    @property
    def claims(self) -> list[Claim]:
        """The claims listed, in their order."""
        return self._rows

    @property
    def claim_ids(self) -> list[int]:
        return [claim.id for claim in self._rows]

    def lists(self, claim_id: int) -> bool:
        return claim_id in self._row_of

    def claim_after(self, claim_id: int | None, step: int) -> int | None:
        """The claim `step` rows from `claim_id` (held at the ends), or from outside the list
        the first (or, going up, the last); None if the list is empty."""
        if not self._rows:
            return None
        row = self._row_of.get(claim_id) if claim_id is not None else None
        if row is None:
            return self._rows[0 if step > 0 else -1].id
        return self._rows[min(max(row + step, 0), len(self._rows) - 1)].id

    def claim_id_at_cursor(self) -> int | None:
        if not 0 <= self.cursor_row < len(self._rows):
            return None
        return self._rows[self.cursor_row].id

    def select_claim(self, claim_id: int) -> bool:
        """Move the cursor to a claim's row, if it is listed."""
        row = self._row_of.get(claim_id)
        if row is None:
            return False
        if row != self.cursor_row:
            self._move(row, announce=False)
        return True

    # -- the cursor ---------------------------------------------------------------------------

    def _move(self, row: int, *, announce: bool = True) -> None:
        previous, self.cursor_row = self.cursor_row, row
        self.refresh_line(previous + 1)  # lines are rows below the header
        self.refresh_line(row + 1)
        self._scroll_to_cursor()
        if announce and 0 <= row < len(self._rows):
            self.post_message(self.Highlighted(self, row, self._rows[row].id))

    def _scroll_to_cursor(self) -> None:
        height = max(1, self.scrollable_content_region.height - 1)  # below the header
        top = round(self.scroll_y)
        # forced: a list that has just grown has no scrollbar until the next layout, and an
        # unforced scroll would be dropped
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True, force=True)
        elif self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=False, immediate=True, force=True)

    def action_page(self, direction: int) -> None:
        if self._rows:
            step = max(1, self.scrollable_content_region.height - 2)
            self._move(min(max(self.cursor_row + direction * step, 0), len(self._rows) - 1))

    def action_to_end(self, direction: int) -> None:
        if self._rows:
            self._move(len(self._rows) - 1 if direction > 0 else 0)

    def on_click(self, event: events.Click) -> None:
        row = round(self.scroll_y) + event.y - 1
        if event.y >= 1 and 0 <= row < len(self._rows):
            self._move(row)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._rows) + 1)
        self._scroll_to_cursor()

    # -- drawing ------------------------------------------------------------------------------

    def row_cells(self, claim_id: int) -> list[Text]:
        """The cells of a claim's row, as drawn (for the curious, and for tests)."""
        return self._cells(self._rows[self._row_of[claim_id]])

    def _cells(self, claim: Claim) -> list[Text]:
        article = self._articles.get(claim.article_id)
        status = claim.status if claim.is_claim else None
        return [
            Text(f"#{claim.id}"),
            Text(article.label if article else "?"),
            Text(claim.kind.value if claim.is_claim else "sentence", style="" if claim.is_claim else "dim"),
            Text(f"{claim.score:.2f}", justify="right"),
            self._status_cell(claim) if status else Text("∘ sentence", style="dim"),
            Text(one_line(grade(article.reliability if article else "", claim.credibility))),
            Text.assemble(("≠ ", "bold") if claim.id in self.conflicted else "",
                          ("≈ ", "dim") if claim.id in self.by_meaning else "", one_line(claim.text)),
        ]

    def _status_cell(self, claim: Claim) -> Text:
        colour = STATUS_COLOUR.get(claim.status.value)
        style = f"bold {self.app.theme_variables.get(colour, '')}".strip() if colour else ""
        return Text(f"{claim.status.symbol} {claim.status.value}", style=style)

    def _line(self, cells: list[Text], base: Style) -> Strip:
        """Cells laid out in the columns (the last takes the rest), cropped to the width."""
        width = self.scrollable_content_region.width
        widths = [w for _, w in COLUMNS]
        widths.append(max(1, width - sum(w + 2 * PADDING for w in widths) - 2 * PADDING))
        segments: list[Segment] = []
        pad = Segment(" " * PADDING, base)
        console = self.app.console
        for cell, cell_width in zip(cells, widths):
            cell = cell.copy()
            if cell.justify == "right":
                cell.align("right", cell_width)
            else:
                cell.truncate(cell_width, overflow="ellipsis", pad=True)
            style = base + console.get_style(cell.style) if cell.style else base  # spans come styled, the cell not
            segments.append(pad)
            segments.extend(Segment.apply_style(cell.render(console), style))
            segments.append(pad)
        return Strip(segments).crop_extend(0, width, base)

    def render_line(self, y: int) -> Strip:
        base = self.rich_style
        if y == 0:
            header = self.get_component_rich_style("claim-list--header")
            return self._line([Text(label) for label, _ in (*COLUMNS, ("Claim", 0))], base + header)
        row = round(self.scroll_y) + y - 1
        if not 0 <= row < len(self._rows):
            return Strip.blank(self.scrollable_content_region.width, base)
        style = base + self.get_component_rich_style("claim-list--cursor") if row == self.cursor_row else base
        return self._line(self._cells(self._rows[row]), style)
