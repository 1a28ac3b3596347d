"""Modal screens: the note editor, export, import, the article picker, claim lists and the key help."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from workbench import reader
from workbench.model import EVIDENCE_KINDS, STANCES, Article, Claim, EvidenceItem
from workbench.safetext import displayable, one_line
from workbench.tui.editors import PasteArea, SafeInput, SafeTextArea


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


@dataclass(frozen=True, slots=True)
class EvidenceChange:
    """What the evidence dialog asks for: a new item, or the withdrawal of one (`withdraw`)."""

    kind: str = ""
    stance: str = ""
    value: str = ""
    note: str = ""
    withdraw: int | None = None


#: How the dialog names each stance.
STANCE_NAMES = {"supports": "✓ supports", "refutes": "✗ refutes", "context": "· context"}


def evidence_row(item: EvidenceItem) -> Text:
    """An item as a list shows it: stance glyph, kind, value, note, who; every part inert, a
    withdrawn one dim with who withdrew it."""
    style = "dim strike" if item.withdrawn else ""
    row = Text.assemble((f"E{item.id} ", "dim"), (f"{item.symbol} {item.stance:<9}", "bold"),
                        f"{item.kind:<8} ", one_line(item.value), style=style)
    if item.note:
        row.append(f"  ({one_line(item.note)})", "dim")
    row.append(f"  {one_line(item.analyst)}", "dim")
    if item.withdrawn:
        row.append(f"  withdrawn by {one_line(item.withdrawn_by or '')}", "dim")
    return row


class EvidenceDialog(ModalScreen[EvidenceChange | None]):
    """A claim's evidence items, and a new one: its kind, whether it supports or refutes the
    claim, the link, file, quote or name itself, and a note. Enter on a listed item withdraws
    it (it stays in the case, marked withdrawn; `u` takes that back). Ctrl+S adds, Escape cancels."""

    BINDINGS = [
        Binding("ctrl+s", "add", "Add", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, claim: Claim, items: list[EvidenceItem]) -> None:
        super().__init__()
        self.claim = claim
        self.items = items

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", classes="evidence-dialog"):
            yield Label(Text(f"Evidence on {self.claim.label}", style="bold"))
            yield Static(Text(one_line(self.claim.text)), classes="dialog-quote")
            # what is typed first, the list last: on a short terminal the dialog scrolls, and
            # the new item's fields are what is in view
            yield SafeInput(id="value", placeholder="https://…, a file, a quote, whom you asked")
            yield SafeInput(id="note", placeholder="a note (optional)")
            with Horizontal(classes="evidence-choices"):
                with RadioSet(id="kind"):
                    for index, kind in enumerate(EVIDENCE_KINDS):
                        yield Choice(Text(kind), value=index == 0, name=kind)
                with RadioSet(id="stance"):
                    for index, stance in enumerate(STANCES):
                        yield Choice(Text(STANCE_NAMES[stance]), value=index == 0, name=stance)
            yield Label(Text("ctrl+s adds it   esc cancels   enter on an item below withdraws it (it stays in the case)",
                             style="dim"))
            if self.items:
                yield OptionList(*(Option(inert(evidence_row(item)), id=str(item.id), disabled=item.withdrawn)
                                   for item in self.items), id="items")
            else:
                yield Static(Text("No evidence items yet.", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#value", SafeInput).focus()

    def _chosen(self, radios: str, default: str) -> str:
        pressed = self.query_one(radios, RadioSet).pressed_button
        return (pressed.name if pressed else None) or default

    def action_add(self) -> None:
        value = self.query_one("#value", SafeInput).stored_value
        if not value.strip():
            self.app.bell()
            self.query_one("#value", SafeInput).focus()
            return
        self.dismiss(EvidenceChange(self._chosen("#kind", EVIDENCE_KINDS[0]), self._chosen("#stance", STANCES[0]),
                                    value, self.query_one("#note", SafeInput).stored_value))

    @on(OptionList.OptionSelected, "#items")
    def _withdraw(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(EvidenceChange(withdraw=int(event.option.id or 0)))

    @on(Input.Submitted, "#value")
    @on(Input.Submitted, "#note")
    @on(Button.Pressed, "#add")
    def _add(self) -> None:
        self.action_add()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


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


@dataclass(frozen=True, slots=True)
class ImportRequest:
    """What the import dialog hands on: a file, a folder or a link (`target`), or pasted text,
    and what the analyst says of it (empty fields are None: the article's own say goes)."""

    target: str = ""
    text: str = ""
    source: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None

    @property
    def is_link(self) -> bool:
        return self.target.lower().startswith(("http://", "https://"))

    def fields(self) -> dict[str, str | None]:
        return {"source": self.source, "title": self.title, "date": self.date}

    def problem(self, max_bytes: int) -> str | None:
        """Why this cannot be imported as it stands, in one line; None if it can be tried.
        Said while the dialog is open, so that what was typed or pasted is not lost."""
        if self.target and self.text.strip():
            return "Either a file, folder or link, or pasted text: clear one of them."
        if not self.target:
            if not self.text:
                return "Nothing to import: give a file, folder or link, or paste the article's text."
            try:
                reader.read_text(self.text, max_bytes=max_bytes)
            except reader.ReadError as error:
                return str(error)
            return None
        if self.is_link:
            return None
        if self.url:
            return "The URL is kept with pasted text or a link; clear it to import a file or folder."
        path = Path(self.target).expanduser()
        if not path.exists():
            return f"{self.target}: no such file or folder"
        if path.is_dir() and next(iter(reader.article_files([path])), path) == path:
            return f"{self.target}: a folder with no .txt or .md files in it"
        return None


class _FieldInput(SafeInput):
    """A one-line field of the import dialog. A paste of several lines is an article, whichever
    field has the cursor: it goes whole into the text area rather than losing all but a line."""

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # Input's own handler keeps the first line, even an empty one
        event.stop()
        line = event.text.rstrip("\r\n")
        if "\n" in line or "\r" in line:
            area = self.screen.query_one("#text", PasteArea)
            area.focus()
            area.post_message(events.Paste(event.text))
        elif self.selection.is_empty:  # a link copied with the line end after it is still a link
            self.insert_text_at_cursor(line.strip())
        else:
            self.replace(line.strip(), *self.selection)


class ImportDialog(ModalScreen[ImportRequest | None]):
    """Bring an article into the case: a file, a folder, a link, or its text pasted in (over
    SSH, the story open in a browser on the analyst's own machine). Enter or ctrl+s imports,
    escape cancels; what cannot be imported is said in a line, and the dialog stays as it was."""

    BINDINGS = [
        Binding("ctrl+s", "import", "Import", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, start: Callable[[ImportRequest], str | None], *, max_bytes: int = reader.DEFAULT_MAX_BYTES) -> None:
        """`start` begins the import and returns None, or says why it did not."""
        super().__init__()
        self.start = start
        self.max_bytes = max_bytes

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="import-dialog"):
            yield Label(Text("Import an article", style="bold"))
            yield _FieldInput(id="target", placeholder="a file, a folder, or a link (https://…)")
            yield PasteArea(id="text", soft_wrap=True, show_line_numbers=False,
                            placeholder="… or paste the article's text here: every line is kept as pasted")
            with Horizontal(classes="import-fields"):
                yield _FieldInput(id="source", placeholder="outlet")
                yield _FieldInput(id="date", placeholder="date (2026-03-12)")
            with Horizontal(classes="import-fields"):
                yield _FieldInput(id="title", placeholder="title (else guessed)")
                yield _FieldInput(id="url", placeholder="URL (https://…)")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Import  ctrl+s", id="import", variant="primary")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#target", SafeInput).focus()

    def request(self) -> ImportRequest:
        def field(name: str) -> str | None:
            return self.query_one(f"#{name}", SafeInput).stored_value.strip() or None

        return ImportRequest(
            target=self.query_one("#target", SafeInput).stored_value.strip(),
            text=self.query_one("#text", PasteArea).stored_text,
            source=field("source"), title=field("title"), date=field("date"), url=field("url"),
        )

    @on(Input.Submitted)
    @on(Button.Pressed, "#import")
    def action_import(self) -> None:
        request = self.request()
        problem = request.problem(self.max_bytes) or self.start(request)
        if problem:
            self.app.notify(one_line(problem), title="Not imported", severity="error", markup=False, timeout=8)
            return
        self.dismiss(request)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


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
    ("E", "evidence items: add one (link, archive, file, quote, person; supports / refutes), or withdraw one"),
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
    ("/", "search words, #id, kind, status; phrases by meaning too, ≈ (esc clears)"),
    ("f", "filter: all, unmarked, open, verified, disputed, assigned to me"),
    ("t", "take the claim (assign it to me), or give it back"),
    ("P", "progress per article, per assignee, marks per analyst"),
    ("A", "the article's details: title, outlet, author, date, address (corrections kept)"),
    ("s", "show every sentence, not only claims"),
    ("p", "promote the sentence to a claim"),
    ("x", "dismiss the claim (it stays in the case)"),
    ("e", "export the claim sheet"),
    ("i", "import an article: a file, a folder, or its text pasted in, with outlet, title, date"),
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
