"""The article details dialog: an analyst corrects what the import read off a page or a file
(title, outlet, author, date, address); each change is kept in the article's history."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from workbench.model import ARTICLE_FIELDS, Article
from workbench.safetext import one_line
from workbench.tui.editors import SafeInput

#: The longest address or path shown whole above the fields (one line in an 80-column terminal).
ORIGIN_WIDTH = 52
#: Each detail as the dialog names it.
LABELS = {"title": "Title", "source": "Outlet", "author": "Author", "date": "Date", "url": "Address"}


class ArticleDetailsDialog(ModalScreen[dict[str, str] | None]):
    """The details that changed, by field (`ARTICLE_FIELDS`); ctrl+s or enter saves, escape cancels."""

    DEFAULT_CSS = """
    ArticleDetailsDialog .detail-row { height: 1; margin-bottom: 1; }
    ArticleDetailsDialog .detail-origin { height: 1; margin-bottom: 1; }
    ArticleDetailsDialog .detail-row Label { width: 10; }
    ArticleDetailsDialog .detail-row SafeInput { width: 1fr; height: 1; border: none; padding: 0 1; }
    ArticleDetailsDialog #dialog { height: auto; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article

    def compose(self) -> ComposeResult:
        origin = self.article.url or self.article.path or "typed or pasted"
        with Vertical(id="dialog", classes="note-dialog"):
            yield Label(Text(f"Details of {self.article.label}", style="bold"))
            origin = one_line(origin)
            if len(origin) > ORIGIN_WIDTH:
                origin = origin[: ORIGIN_WIDTH - 1] + "…"
            yield Static(Text(f"from {origin}", style="dim"), classes="detail-origin")
            for field in ARTICLE_FIELDS:
                with Horizontal(classes="detail-row"):
                    yield Label(Text(LABELS[field]))
                    yield SafeInput(getattr(self.article, field) or "", id=f"detail-{field}",
                                    placeholder="2026-03-12" if field == "date" else "")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save  ctrl+s", id="save", variant="primary")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one(f"#detail-{ARTICLE_FIELDS[0]}", SafeInput).focus()

    def action_save(self) -> None:
        changed = {}
        for field in ARTICLE_FIELDS:
            value = self.query_one(f"#detail-{field}", SafeInput).stored_value.strip()
            if value != (getattr(self.article, field) or ""):
                changed[field] = value
        self.dismiss(changed)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()
