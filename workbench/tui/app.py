"""The workbench application: opens the case database and shows the review screen."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.screen import Screen

from workbench.model import CREDIBILITY
from workbench.store import Store
from workbench.tui.review import ReviewScreen


class WorkbenchApp(App[None]):
    CSS_PATH = "workbench.tcss"
    TITLE = "workbench"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, db_path: str | Path, analyst: str) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.analyst = analyst
        self.store = Store(self.db_path)
        self.sub_title = f"{self.db_path.name} · {analyst}"

    def on_mount(self) -> None:
        self.set_class(self.no_color, "-monochrome")
        self.push_screen(ReviewScreen(self.store, self.analyst))

    def on_unmount(self) -> None:
        self.store.close()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every review action by name in the command palette (ctrl+p)."""
        yield from super().get_system_commands(screen)
        if not isinstance(screen, ReviewScreen):
            return
        for title, help_text, action in COMMANDS:
            yield SystemCommand(title, help_text, _runner(screen, action))


def _runner(screen: ReviewScreen, action: str):  # noqa: ANN202 - a zero-argument callback
    async def run() -> None:
        await screen.run_action(action)

    return run


COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Mark verified", "Mark the selected claim verified (v)", "mark('verified')"),
    ("Mark disputed", "Mark the selected claim disputed (d)", "mark('disputed')"),
    ("Mark open", "Mark the selected claim open (o)", "mark('open')"),
    ("Note and evidence", "Edit the note and evidence of the selected claim (n)", "note"),
    ("Jump to match", "Select the matching claim in the other article (m)", "match"),
    ("Claim group", "Every article stating the selected claim, whom it cites, agree or conflict (g)", "group"),
    ("Conflicts", "Every conflict between articles in the case (c)", "conflicts"),
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
    ("Keys", "Show every key (?)", "help"),
)
