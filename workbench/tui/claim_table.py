"""The claims list: one row per claim (id, article, kind, score, status, text)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual.widgets import DataTable

from workbench.model import Article, Claim, grade
from workbench.safetext import one_line

#: Fixed columns and their widths; the claim text takes the rest of the row.
COLUMNS = (("#", 5), ("Art", 4), ("Kind", 10), ("Score", 5), ("Status", 10), ("Grade", 5))
#: Theme colours for the status cell; the symbol and the word carry the status without them.
STATUS_COLOUR = {"open": "warning", "verified": "success", "disputed": "error"}


class ClaimTable(DataTable):
    """A `DataTable` keyed by claim id, whose text column fills the width it is given."""

    DEFAULT_CSS = """
    ClaimTable { scrollbar-gutter: stable; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._rows: list[Claim] = []
        self._articles: Mapping[int, Article] = {}
        self._text_width = 0
        #: Claims another article contradicts: their text cell starts with "≠".
        self.conflicted: frozenset[int] = frozenset()

    def load(self, claims: Iterable[Claim], articles: Mapping[int, Article], keep: int | None = None) -> None:
        """Replace the rows; keep the cursor on claim `keep` if it is still listed."""
        self._rows = list(claims)
        self._articles = articles
        self._build(keep)

    def _build(self, keep: int | None) -> None:
        self._text_width = self._claim_width()
        self.clear(columns=True)
        for label, width in COLUMNS:
            self.add_column(label, width=width, key=label)
        self.add_column("Claim", width=self._text_width, key="Claim")
        for claim in self._rows:
            self.add_row(*self._cells(claim), key=str(claim.id))
        if keep is not None:
            self.select_claim(keep)

    def _claim_width(self) -> int:
        fixed = sum(width + 2 * self.cell_padding for _, width in COLUMNS)
        available = (self.scrollable_content_region.width or 120) - fixed - 2 * self.cell_padding
        return max(20, available)

    def on_resize(self) -> None:
        if self._rows and self._claim_width() != self._text_width:
            self._build(self.claim_id_at_cursor())

    def _cells(self, claim: Claim) -> list[Text]:
        article = self._articles.get(claim.article_id)
        status = claim.status if claim.is_claim else None
        return [
            Text(f"#{claim.id}"),
            Text(article.label if article else "?"),
            Text(claim.kind.value if claim.is_claim else "sentence", style="" if claim.is_claim else "dim"),
            Text(f"{claim.score:.2f}", justify="right"),
            self._status_cell(claim) if status else Text("∘ sentence", style="dim"),
            Text(grade(article.reliability if article else "", claim.credibility)),
            Text.assemble(("≠ ", "bold") if claim.id in self.conflicted else "", one_line(claim.text),
                          no_wrap=True, overflow="ellipsis"),
        ]

    def _status_cell(self, claim: Claim) -> Text:
        colour = STATUS_COLOUR.get(claim.status.value)
        style = f"bold {self.app.theme_variables.get(colour, '')}".strip() if colour else ""
        return Text(f"{claim.status.symbol} {claim.status.value}", style=style)

    def update_claim(self, claim: Claim) -> None:
        """Refresh one row in place after a mark."""
        key = str(claim.id)
        if key not in self.rows:
            return
        for index, row_claim in enumerate(self._rows):
            if row_claim.id == claim.id:
                self._rows[index] = claim
        cells = self._cells(claim)
        for (label, _), cell in zip((*COLUMNS, ("Claim", 0)), cells):
            self.update_cell(key, label, cell)

    def claim_id_at_cursor(self) -> int | None:
        if not self._rows or not 0 <= self.cursor_row < len(self._rows):
            return None
        return self._rows[self.cursor_row].id

    def select_claim(self, claim_id: int) -> bool:
        """Move the cursor to a claim's row, if it is listed."""
        key = str(claim_id)
        if key not in self.rows:
            return False
        index = self.get_row_index(key)
        if index != self.cursor_row:
            self.move_cursor(row=index, animate=False, scroll=True)
        return True

    @property
    def claim_ids(self) -> list[int]:
        return [claim.id for claim in self._rows]
