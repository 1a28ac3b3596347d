"""Modal screens: the note editor, export, the article picker, claim lists and the key help."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from workbench.model import Article, Claim
from workbench.safetext import displayable, one_line
from workbench.tui.editors import SafeInput, SafeTextArea


def inert(text: Text) -> Text:
    """`text`, styles and all, with every control character shown as a stand-in: the rows of a
    list gather analysts' names, notes, sources and a merged case's history, and one field
    missed on the way must still not reach the terminal."""
    safe = text.copy()
    safe.plain = displayable(safe.plain)  # one character for one: the styles stay where they were
    return safe


@dataclass(frozen=True, slots=True)
class NoteResult:
    note: str
    evidence: str


class NoteDialog(ModalScreen[NoteResult | None]):
    """A multi-line note and a line of evidence for one claim. Ctrl+S saves, Escape cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, claim: Claim) -> None:
        super().__init__()
        self.claim = claim

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="note-dialog"):
            yield Label(Text(f"Note on {self.claim.label}", style="bold"))
            yield Static(Text(one_line(self.claim.text)), classes="dialog-quote")
            yield SafeTextArea(self.claim.note, id="note", soft_wrap=True, show_line_numbers=False)
            yield Label(Text("Evidence (links, documents, who you asked)"))
            yield SafeInput(self.claim.evidence, id="evidence", placeholder="https://… or a reference")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save  ctrl+s", id="save", variant="primary")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#note", SafeTextArea).focus()

    def action_save(self) -> None:
        self.dismiss(NoteResult(self.query_one("#note", SafeTextArea).stored_text,
                                self.query_one("#evidence", SafeInput).stored_value))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Input.Submitted, "#evidence")
    def _submitted(self) -> None:
        self.action_save()


class _MarkedWhenOn:
    """Draws a toggle's own mark (Checkbox's X, RadioButton's ●) only when it is on: Textual
    draws it either way and tells on from off by colour, which a 16-colour or NO_COLOR
    terminal does not show."""

    value: bool

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - the name Textual's ToggleButton reads
        return super().BUTTON_INNER if self.value else " "  # type: ignore[misc]


class Tick(_MarkedWhenOn, Checkbox):
    pass


class Choice(_MarkedWhenOn, RadioButton):
    pass


@dataclass(frozen=True, slots=True)
class ExportRequest:
    fmt: str
    path: Path
    only_filtered: bool
    bom: bool = False


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Choose a claim-sheet format and a file; Enter writes it."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, formats: tuple[str, ...], default_dir: Path, filter_label: str) -> None:
        super().__init__()
        self.formats = formats
        self.default_dir = default_dir
        self.filter_label = filter_label

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="export-dialog"):
            yield Label(Text("Export the claim sheet", style="bold"))
            with RadioSet(id="format"):
                for index, fmt in enumerate(self.formats):
                    yield Choice(Text(_FORMAT_NAMES.get(fmt, fmt)), value=index == 0, name=fmt)
            yield Tick(Text(f"Only the claims shown ({one_line(self.filter_label)})"), id="only-filtered")
            yield Tick(Text("Byte-order mark, so Excel reads accents right (csv)"), id="bom",
                       disabled=self.formats[0] != "csv")
            yield Label(Text("File"))
            # the folder is wherever the workbench was started: its name is anyone's
            yield SafeInput(str(self._path_for(self.formats[0])), id="path")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export  enter", id="export", variant="primary")
                yield Button("Cancel  esc", id="cancel")

    def _path_for(self, fmt: str) -> Path:
        return self.default_dir / f"claim-sheet.{_SUFFIX.get(fmt, fmt)}"

    def on_mount(self) -> None:
        self.query_one("#format", RadioSet).focus()

    @on(RadioSet.Changed, "#format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        path_input = self.query_one("#path", SafeInput)
        current = Path(path_input.stored_value)
        fmt = event.pressed.name or self.formats[0]
        path_input.reset(str(current.with_suffix("." + _SUFFIX.get(fmt, fmt))))
        bom = self.query_one("#bom", Checkbox)
        bom.disabled = fmt != "csv"
        if bom.disabled:
            bom.value = False

    def _request(self) -> ExportRequest:
        pressed = self.query_one("#format", RadioSet).pressed_button
        fmt = (pressed.name if pressed else None) or self.formats[0]
        return ExportRequest(
            fmt=fmt,
            path=Path(self.query_one("#path", SafeInput).stored_value).expanduser(),
            only_filtered=self.query_one("#only-filtered", Checkbox).value,
            bom=self.query_one("#bom", Checkbox).value,  # unticked and greyed out for other formats
        )

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        self.dismiss(self._request())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


_FORMAT_NAMES = {"csv": "CSV (spreadsheets)", "xlsx": "Excel workbook", "md": "Markdown (readable sheet)", "json": "JSON (tools)",
                 "html": "HTML (a report to read or print)", "claimreview": "ClaimReview JSON-LD (to publish)"}
_SUFFIX = {"csv": "csv", "xlsx": "xlsx", "md": "md", "json": "json", "html": "html", "claimreview": "jsonld"}


class ArticlePicker(ModalScreen[int | None]):
    """Pick which article a pane shows."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, articles: list[Article], current: int | None) -> None:
        super().__init__()
        self.articles = articles
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="picker-dialog"):
            yield Label(Text("Show which article in this pane?", style="bold"))
            options = [
                Option(
                    Text.assemble((f"{a.label:<5}", "bold"), (f"{one_line(a.date or ''):<11}", "dim"),
                                  one_line(a.title)),
                    id=str(a.id),
                )
                for a in self.articles
            ]
            yield OptionList(*options, id="articles")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.focus()
        for index, article in enumerate(self.articles):
            if article.id == self.current:
                option_list.highlighted = index

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0) or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ClaimListDialog(ModalScreen[int | None]):
    """A list of claims to jump to: the selected claim's group, or every conflict in the case.
    Enter selects the highlighted claim; Escape goes back."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, subtitle: Text, rows: list[tuple[int, Text]], empty: str) -> None:
        super().__init__()
        self.title_text = title
        self.subtitle = subtitle
        self.rows = rows
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="list-dialog"):
            yield Label(Text(one_line(self.title_text), style="bold"))
            yield Static(inert(self.subtitle), classes="dialog-quote")
            if self.rows:
                yield OptionList(*(Option(inert(text), id=f"{n}:{claim_id}") for n, (claim_id, text) in enumerate(self.rows)),
                                 id="claims-list")
            else:
                yield Static(Text(self.empty, style="dim"))
            yield Label(Text("enter: go to the claim   esc: back", style="dim"))

    def on_mount(self) -> None:
        if self.rows:
            self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int((event.option.id or "0:0").split(":")[1]) or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True, slots=True)
class LinkCall:
    other: int
    call: str


#: The keys of the link-call dialog, the call each makes, and what it says.
CALL_KEYS: tuple[tuple[str, str, str], ...] = (
    ("equals_sign", "linked", "= same fact"),
    ("c", "conflict", "c conflict"),
    ("n", "not_conflict", "n not a conflict"),
    ("u", "unlinked", "u unlink"),
    ("a", "", "a the aligner decides"),
)


_CALL_BY_CHARACTER = {"=": "linked", "c": "conflict", "n": "not_conflict", "u": "unlinked", "a": ""}


class LinkCallDialog(ModalScreen[LinkCall | None]):
    """The analyst's call on the selected claim and another: the same fact, a conflict, not a
    conflict after all, not linked, or back to the aligner. The other claim is the highlighted
    row (its links, the claim `m` came from first) or a number typed in the box."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        *(Binding(key, f"call('{call}')", words, show=False) for key, call, words in CALL_KEYS),
    ]

    def __init__(self, claim: Claim, rows: list[tuple[int, Text]]) -> None:
        super().__init__()
        self.claim = claim
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="list-dialog"):
            yield Label(Text(f"Call the link between {self.claim.label} and another claim", style="bold"))
            yield Static(Text(one_line(self.claim.text)), classes="dialog-quote")
            # the keys first: on a short terminal the list scrolls, and they stay in view
            yield Static(Text("   ".join(words for _, _, words in CALL_KEYS) + "   esc back", style="dim"),
                         classes="call-keys")
            yield Input(placeholder="the other claim's number (or pick it below)", id="other",
                        restrict=r"#?\d*[=cnua]?", select_on_focus=False)
            if self.rows:
                yield OptionList(*(Option(inert(text), id=str(claim_id)) for claim_id, text in self.rows), id="others")

    def on_mount(self) -> None:
        (self.query_one(OptionList) if self.rows else self.query_one(Input)).focus()

    def _other(self) -> int | None:
        typed = self.query_one("#other", Input).value.lstrip("#")
        if typed:
            return int(typed)
        if self.rows:
            option_list = self.query_one(OptionList)
            if option_list.highlighted is not None:
                return int(option_list.get_option_at_index(option_list.highlighted).id or 0) or None
        return None

    def action_call(self, call: str) -> None:
        other = self._other()
        if other is None:
            self.app.bell()
            return
        self.dismiss(LinkCall(other, call))

    @on(Input.Submitted, "#other")
    def _submitted(self) -> None:
        self.app.bell()  # a number alone says nothing: one of the call keys says what

    def on_key(self, event: events.Key) -> None:
        """A digit typed over the list starts the other claim's number in the box."""
        if event.character and event.character.isdigit() and not isinstance(self.focused, Input):
            event.stop()
            box = self.query_one("#other", Input)
            box.focus()
            box.insert_text_at_cursor(event.character)

    @on(Input.Changed, "#other")
    def _typed(self, event: Input.Changed) -> None:
        """The number box takes digits only; a call key typed there makes the call."""
        value = event.value
        if value and value[-1] in _CALL_BY_CHARACTER:
            event.input.value = value[:-1]
            self.action_call(_CALL_BY_CHARACTER[value[-1]])

    def action_cancel(self) -> None:
        self.dismiss(None)


KEYS: tuple[tuple[str, str], ...] = (
    ("j / ↓", "next claim"),
    ("k / ↑", "previous claim"),
    ("v", "mark verified ✓"),
    ("d", "mark disputed ✗"),
    ("o", "mark open ?"),
    ("n", "note and evidence"),
    ("u", "undo your own last change (kept in history)"),
    ("1 … 6 / 0", "claim credibility (NATO: 1 confirmed … 6 cannot be judged) / clear"),
    ("r", "source reliability of the claim's article (NATO: A … F)"),
    ("h", "the claim's history: who, when, old → new, note"),
    ("m", "jump to the same fact in another article (again: the rest of its group, then back)"),
    ("g", "the claim's group: every article stating it, who they cite, agree or conflict, and each value it gives"),
    ("c", "every conflict between articles in the case (and every revision: → )"),
    ("l", "your call on a link: = same fact, c conflict, n not a conflict, u unlink, a back to the aligner"),
    ("tab / shift+tab", "next / previous pane"),
    ("[ / ]", "previous / next article in this pane"),
    ("a", "choose the article in this pane"),
    ("/", "search claims (esc clears)"),
    ("f", "filter: all, unmarked, open, verified, disputed, assigned to me"),
    ("t", "take the claim (assign it to me), or give it back"),
    ("P", "progress per article, per assignee, marks per analyst"),
    ("A", "the article's details: title, outlet, author, date, address (corrections kept)"),
    ("s", "show every sentence, not only claims"),
    ("p", "promote the sentence to a claim"),
    ("x", "dismiss the claim (it stays in the case)"),
    ("e", "export the claim sheet"),
    ("ctrl+p", "command palette: every action by name"),
    ("?", "this help"),
    ("q", "quit (every mark is already saved)"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close"),
        Binding("q", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, what in KEYS:
            table.add_row(Text(key), Text(what))
        with Vertical(id="dialog", classes="help-dialog"):
            yield Label(Text("workbench keys", style="bold"))
            yield Static(table)
            yield Label(Text("Every mark is saved to the case database the moment you make it.",
                             style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
