"""The workbench application: opens the case database and shows the review screen."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.screen import Screen

from workbench import jobs, reader
from workbench.model import CREDIBILITY
from workbench.models import ModelError
from workbench.safetext import one_line
from workbench.store import DamagedCase, Store, StoreError, is_damage
from workbench.tui.dialogs import ImportRequest
from workbench.tui.review import ReviewScreen

if TYPE_CHECKING:
    from workbench import ingest

#: What an import hears as it goes: (what it is doing, steps done, steps in all).
Step = Callable[[str, int, int], None]


#: Refiners run one after the other at most, while imports keep lining articles up meanwhile.
REFINE_ROUNDS = 5


class WorkbenchApp(App[None]):
    CSS_PATH = "workbench.tcss"
    TITLE = "workbench"
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        db_path: str | Path,
        analyst: str,
        *,
        paths: Sequence[str | Path] = (),
        source: str | None = None,
        max_bytes: int = reader.DEFAULT_MAX_BYTES,
    ) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.analyst = analyst
        self.store = Store(self.db_path)
        self.sub_title = one_line(f"{self.db_path.name} · {analyst}")  # the header shows it as it is
        self._to_import = list(paths)
        # articles an interrupted import stored and did not line up: lined up now, as an import
        self._unfinished = bool(jobs.ours(self.store.unaligned()))
        if self._to_import or self._unfinished:
            from workbench import ingest  # the claim finder loads only when there is text to read

            ingest.prepare_helpers()  # now, while stderr is still the terminal's
        self._import_options: dict[str, Any] = {"source": source, "max_bytes": max_bytes}
        #: Why the workbench stopped, in one line, for whoever ran it to say once the screen is gone.
        self.failure: str | None = None

    def on_mount(self) -> None:
        self.set_class(self.no_color, "-monochrome")
        review = ReviewScreen(self.store, self.analyst)
        self.push_screen(review)
        if self._to_import or self._unfinished:
            self.import_articles(review, self._to_import)
        elif self.store.unrefined():
            self.refine_links(review)

    def start_import(self, review: ReviewScreen, request: ImportRequest) -> str | None:
        """Begin the import the import dialog asks for; None if it began, else why not."""
        if self.importing():
            return "An import is under way (see its progress row): import this when it is done."
        if request.is_link:
            return self.import_link(review, request.target, url=request.url or request.target, **request.fields())
        if not request.target:
            self.import_pasted(review, request.text, url=request.url, **request.fields())
        else:
            self.import_articles(review, [Path(request.target).expanduser()], show=True, **request.fields())
        return None

    def import_articles(self, review: ReviewScreen, paths: Sequence[str | Path], *, show: bool = False,
                        **fields: str | None) -> None:
        """Import files and folders in the background; `fields` (source, title, date) are the
        import dialog's, else the command line's; `show` brings the first new article into view."""
        options = {**self._import_options, **{k: v for k, v in fields.items() if v}}

        def run(store: Store, step: Step) -> ingest.ImportReport:
            from workbench import ingest

            return ingest.import_paths(store, paths, analyst=self.analyst, on_step=step, refine_now=False, **options)

        self._import(review, run, show)

    def import_pasted(self, review: ReviewScreen, text: str, *, show: bool = True, **fields: str | None) -> None:
        """Import text pasted into the import dialog in the background, as a file is."""
        max_bytes = self._import_options["max_bytes"]

        def run(store: Store, step: Step) -> ingest.ImportReport:
            from workbench import ingest

            return ingest.import_text(store, text, analyst=self.analyst, on_step=step, max_bytes=max_bytes,
                                      refine_now=False, **fields)

        self._import(review, run, show)

    def import_link(self, review: ReviewScreen, link: str, *, url: str | None = None,
                    **fields: str | None) -> str | None:
        """Import the page at `link` in the background: fetched and read as a saved page is
        (`fetch`, `webpage`); the page's own address is kept as the article's. Returns why
        nothing was imported, for the dialog to say and stay open (nothing, today)."""
        self.import_articles(review, [link], show=True, **fields)
        return None

    @property
    def max_bytes(self) -> int:
        """The most text one article may be (`--max-size`), for the import dialog to check."""
        return self._import_options["max_bytes"]

    def importing(self) -> bool:
        """Whether an import is under way: one runs at a time, under the one progress row."""
        return any(w.group == "import" and not w.is_finished for w in self.workers)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _import(self, review: ReviewScreen, run: Callable[[Store, Step], ingest.ImportReport],
                show: bool = False) -> ingest.ImportReport | None:
        """Import in a thread, on its own connection: a megabyte of text takes seconds to read
        for claims and align, and the screen must go on answering keys meanwhile."""

        def step(what: str, done: int, total: int) -> None:
            self.call_from_thread(review.show_import, what, done, total)

        try:
            with Store(self.db_path) as store:
                report = run(store, step)
        except DamagedCase as error:
            self.call_from_thread(self.stop_on_damage, error)
            return None
        except (StoreError, OSError, ModelError) as error:  # a broken install's model: one line, as the CLI says it
            self.call_from_thread(review.import_finished, None, str(error))
            return None
        except Exception as error:  # noqa: BLE001 - an import must never fail without a word
            self.call_from_thread(review.import_finished, None, f"{type(error).__name__}: {error}")
            return None
        self.call_from_thread(review.import_finished, report, show=show)
        self.call_from_thread(self.refine_links, review)
        return report

    def refine_links(self, review: ReviewScreen) -> None:
        """Decide the links imports left quick, unless that is under way already: the one
        under way takes up what was lined up meanwhile (`ingest.refine` reads the case again
        after each line-up it decides, and `_refine` starts it again if more came after)."""
        if not any(w.group == "refine" and not w.is_finished for w in self.workers):
            self._refine(review)

    @work(thread=True, group="refine", exit_on_error=False)
    def _refine(self, review: ReviewScreen) -> None:
        """Decide the links imports left quick (`workbench realign`: the dense vectors, the
        conflicts, the full matcher) in a process of its own, while the analyst reads: on a
        thousand articles it takes a minute or more and most of a gigabyte, and neither the
        keys nor this process's memory should pay for it. Its progress lines feed the progress
        row; a failure (a broken model file, a full disk) is one notice, and the quick links stay."""
        for _ in range(REFINE_ROUNDS):
            failure = self._run_refiner(review)
            if self._stopping:
                return
            if failure is not None or not self._still_undecided():
                break
        self.call_from_thread(review.links_decided, failure)

    def _still_undecided(self) -> bool:
        """Whether articles were lined up after the refiner last looked (its own connection:
        this runs in the refining thread)."""
        try:
            with Store.read_only(self.db_path) as store:
                return bool(store.unrefined())
        except (StoreError, OSError, sqlite3.Error):
            return False

    def _run_refiner(self, review: ReviewScreen) -> str | None:
        """One `workbench realign --progress-lines`; None when it decided everything it found,
        else why it stopped."""
        command = [*self.refine_command, "--db", str(self.db_path), "--analyst", self.analyst]
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")
        except OSError as error:
            return str(error)
        self._refiner = process
        assert process.stdout is not None and process.stderr is not None
        for line in process.stdout:
            done, total, what = (line.rstrip("\n").split("\t", 2) + ["", "", ""])[:3]
            if done.isdigit() and total.isdigit() and not self._stopping:
                self.call_from_thread(review.show_import, what, int(done), int(total), doing="Deciding links")
        said = process.stderr.read().strip().splitlines()
        if process.wait() in (0, -signal.SIGTERM) or self._stopping:
            return None
        return said[-1].removeprefix("Error: ") if said else f"stopped ({process.returncode})"

    #: How the links are decided in the background: `workbench realign` with progress lines.
    refine_command: Sequence[str] = (sys.executable, "-m", "workbench", "realign", "--progress-lines")
    _refiner: subprocess.Popen[str] | None = None
    _stopping = False

    def on_unmount(self) -> None:
        self._stopping = True
        if self._refiner is not None and self._refiner.poll() is None:
            self._refiner.terminate()  # its work is whole or none: the next start decides the rest
        self.store.close()

    def _handle_exception(self, error: Exception) -> None:
        """A damaged case, met by any handler or worker, ends the workbench with one line; any
        other error is Textual's to show. Textual's own report is a traceback with its local
        variables, article text among them, and the case is no place to go on working in."""
        damage = _damage_in(error)
        if damage is None:
            super()._handle_exception(error)
            return
        self.stop_on_damage(damage)

    def stop_on_damage(self, damage: DamagedCase | sqlite3.DatabaseError) -> None:
        if self.failure is None:
            self.failure = str(damage) if isinstance(damage, DamagedCase) else str(DamagedCase(self.db_path, str(damage)))
        self.exit(return_code=1)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every review action by name in the command palette (ctrl+p)."""
        yield from super().get_system_commands(screen)
        if not isinstance(screen, ReviewScreen):
            return
        for title, help_text, action in COMMANDS:
            yield SystemCommand(title, help_text, _runner(screen, action))


def _damage_in(error: BaseException) -> DamagedCase | sqlite3.DatabaseError | None:
    """The damaged case behind `error`, if one is: it may come wrapped (a worker's failure
    carries it as its `error`, a handler's re-raise as its cause)."""
    seen: set[int] = set()
    todo: list[BaseException] = [error]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, DamagedCase) or (isinstance(current, sqlite3.DatabaseError) and is_damage(current)):
            return current
        todo += [inner for inner in (getattr(current, "error", None), current.__cause__, current.__context__)
                 if isinstance(inner, BaseException)]
    return None


def _runner(screen: ReviewScreen, action: str):  # noqa: ANN202 - a zero-argument callback
    async def run() -> None:
        await screen.run_action(action)

    return run


COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Mark verified", "Mark the selected claim verified (v)", "mark('verified')"),
    ("Mark disputed", "Mark the selected claim disputed (d)", "mark('disputed')"),
    ("Mark open", "Mark the selected claim open (o)", "mark('open')"),
    ("Note and evidence", "Edit the note and evidence of the selected claim (n)", "note"),
    ("Evidence items", "Add an evidence item to the selected claim, or withdraw one (E)", "evidence"),
    ("Jump to match", "Select the matching claim in the other article (m)", "match"),
    ("Claim group", "Every article stating the selected claim, whom it cites, agree or conflict (g)", "group"),
    ("Conflicts", "Every conflict between articles in the case, and every revision (c)", "conflicts"),
    ("Call a link", "Your call on the selected claim and another: same fact, conflict, not a conflict, "
     "unlink, back to the aligner (l)", "call_link"),
    ("Undo", "Take back your own last change (u)", "undo"),
    ("Take claim", "Assign the selected claim to me, or give it back (t)", "take"),
    ("Progress", "Per article, per assignee, marks per analyst (P)", "progress"),
    ("Source reliability", "Grade the selected claim's source A-F (r)", "reliability"),
    *((f"Credibility {n}", f"Grade the selected claim {n}: {CREDIBILITY[str(n)]} ({n})", f"credibility('{n}')")
      for n in range(1, 7)),
    ("Claim history", "Who changed the selected claim, when, and how (h)", "history"),
    ("Next claim", "Select the next claim (j)", "next_claim"),
    ("Previous claim", "Select the previous claim (k)", "previous_claim"),
    ("Search claims", "Filter the list by words, #id, kind or status (/)", "search"),
    ("Cycle status filter", "All, unmarked, open, verified, disputed, assigned to me (f)", "cycle_filter"),
    ("Show every sentence", "Toggle sentences that are not claims (s)", "toggle_sentences"),
    ("Promote sentence", "Make the selected sentence a claim (p)", "promote"),
    ("Dismiss claim", "Take the selected claim off the list (x)", "dismiss_claim"),
    ("Choose article", "Pick the article shown in this pane (a)", "pick_article"),
    ("Next article", "Show the next article in this pane (])", "cycle_article(1)"),
    ("Previous article", "Show the previous article in this pane ([)", "cycle_article(-1)"),
    ("Export claim sheet", "Write the claim sheet as CSV, Markdown or JSON (e)", "export"),
    ("Import an article", "A file, a folder, or the article's text pasted in, with its outlet, title and date (i)",
     "import_article"),
    ("Keys", "Show every key (?)", "help"),
)
