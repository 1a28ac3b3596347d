"""The review screen: two article panes side by side, the claim detail, the claims list.

The screen owns the review state (which claim is selected, the filter, the search) and turns
key presses into calls on the store; the widgets only paint what they are given. A mark is
written to the database inside the key handler, before the screen changes, so what the analyst
sees marked is already saved.
"""

from __future__ import annotations

import gc
import sqlite3
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, ProgressBar, Static

from workbench import export, files, groups, search
from workbench.model import (
    CALL_NAMES, CONFLICTS, CORROBORATES, CREDIBILITY, RELATED, RELIABILITY, REVISED, Article, Claim, EvidenceItem,
    Link, Progress, SIGNS, Status, grade,
)
from workbench.safetext import displayable, one_line
from workbench.store import Store, StoreError
from workbench.tui.article_view import ArticleView
from workbench.tui.claim_list import ClaimList
from workbench.tui.editors import SafeInput
from workbench.tui.dialogs import (
    ArticlePicker,
    ClaimListDialog,
    EvidenceChange,
    EvidenceDialog,
    ExportDialog,
    ExportRequest,
    HelpScreen,
    ImportDialog,
    LinkCall,
    LinkCallDialog,
    NoteDialog,
    NoteResult,
)

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from workbench import ingest

#: What `f` cycles through; None shows every claim.
FILTERS: tuple[Status | str | None, ...] = (
    None, Status.UNMARKED, Status.OPEN, Status.VERIFIED, Status.DISPUTED, search.MINE,
)
#: The most claims the group dialog (`g`) lists.
GROUP_ROWS = 200
#: How often to look for other analysts' changes (PRAGMA data_version: one cheap query).
POLL_SECONDS = 1.0
#: How often the WAL is copied into the database, off the path of a mark.
CHECKPOINT_SECONDS = 5.0
#: Below this many columns one article pane is shown instead of two.
NARROW = 70
#: A case with more claims than this opens on its first two articles and reads the rest in a
#: thread: forty thousand claims take half a second to read, and the first frame need not wait.
EAGER_CLAIMS = 5000


class ArticlePane(Vertical):
    """An article's title, date and source over its text."""

    def compose(self) -> ComposeResult:
        yield Static(classes="pane-header")
        yield ArticleView()

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def article(self) -> Article | None:
        return self.view.article

    def show(self, article: Article | None, claims: Iterable[Claim], show_sentences: bool) -> None:
        claims = list(claims)
        self.view.show_sentences = show_sentences
        self.view.show(article, claims)
        header = self.query_one(".pane-header", Static)
        if article is None:
            header.update(Text("no article", style="dim"), layout=False)  # two lines, always
            return
        count = sum(1 for c in claims if c.is_claim)
        meta = " · ".join(x for x in (article.source, article.date or "undated") if x)  # outlet · date
        byline = f" · by {one_line(article.author)}" if article.author else ""
        header.update(
            Text.assemble(
                (article.label, "bold reverse"), " ", (one_line(meta), "bold"),
                (f" · {count} claim{'s' * (count != 1)}", "dim"), "\n", (one_line(article.title), "bold"), (byline, "dim"),
                no_wrap=True, overflow="ellipsis",
            ),
            layout=False,
        )


class ReviewScreen(Screen[None]):
    BINDINGS = [
        Binding("j,down", "next_claim", "Next", show=False),
        Binding("k,up", "previous_claim", "Prev", show=False),
        Binding("v", "mark('verified')", "Verified"),
        Binding("d", "mark('disputed')", "Disputed"),
        Binding("o", "mark('open')", "Open"),
        Binding("n", "note", "Note"),
        Binding("E", "evidence", "Evidence", show=False),
        Binding("m", "match", "Match"),
        Binding("g", "group", "Group", show=False),
        Binding("u", "undo", "Undo", show=False),
        *(Binding(str(n), f"credibility('{n}')", f"Credibility {n}", show=False) for n in range(1, 7)),
        Binding("0", "credibility('')", "Clear credibility", show=False),
        Binding("r", "reliability", "Source reliability", show=False),
        Binding("t", "take", "Take", show=False),
        Binding("P", "progress", "Progress", show=False),
        Binding("A", "article_details", "Article details", show=False),
        Binding("h", "history", "History", show=False),
        Binding("c", "conflicts", "Conflicts", show=False),
        Binding("l", "call_link", "Call a link", show=False),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("f", "cycle_filter", "Filter"),
        Binding("e", "export", "Export"),
        Binding("i", "import_article", "Import", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "app.quit", "Quit"),
        Binding("s", "toggle_sentences", "Sentences", show=False),
        Binding("p", "promote", "Promote", show=False),
        Binding("x", "dismiss_claim", "Dismiss", show=False),
        Binding("a", "pick_article", "Article", show=False),
        Binding("left_square_bracket", "cycle_article(-1)", "Prev article", show=False),
        Binding("right_square_bracket", "cycle_article(1)", "Next article", show=False),
        Binding("escape", "clear_search", "Clear search", show=False),
    ]

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A toast, its text never read as markup and never sent to the terminal as it is: it
        names analysts, notes, paths and errors, which anyone can write ("[/b]" would end every
        open workbench on the case, an ESC sequence in a file name would set the clipboard)."""
        super().notify(displayable(message), title=one_line(title), severity=severity, timeout=timeout,
                       markup=markup)

    def __init__(self, store: Store, analyst: str) -> None:
        super().__init__()
        self.store = store
        self.analyst = analyst
        self.articles: dict[int, Article] = {}
        self.claims: dict[int, Claim] = {}
        self._links: dict[int, list[Link]] = {}  # by claim, as read
        self._generation = 0  # of the links: groups found for older links are dropped
        self.grouped = False  # whether `groups` and `origins` are found for the links
        self.selected: int | None = None
        self.status_filter: Status | str | None = None  # a status, "mine", or everything
        self.search = ""
        self.meaning = search.MeaningIndex()  # the claims' vectors, for search by meaning
        self._meaning_off_said = False  # a broken model is said once, then words search alone
        self._found_by_meaning = 0  # claims the list shows found by meaning alone (status line)
        self.show_sentences = False
        self._tally: Counter[Status] = Counter()  # claims by status, for the status line
        self.complete = True  # every claim of the case is read (see `_open_large_case`)
        self._case_generation = 0  # of the case read: a read begun before another is dropped
        self._applied_while_reading: dict[int, Claim] = {}  # newer than a read still under way
        self._article_claims: dict[int, list[int]] = {}
        self._cycle: list[int] = []  # `m`: where it started, then the group members it walks
        self.conflicted: frozenset[int] = frozenset()
        self.group_of: dict[int, groups.Group] = {}  # a claim's group: links, confirming origins
        self._evidence: dict[int, list[EvidenceItem]] = {}  # items that stand, of the claims shown so far

    # -- building ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield ArticlePane(id="left")
            yield ArticlePane(id="right")
        yield Static(id="detail")
        yield ClaimList(id="claims")
        yield SafeInput(id="search", placeholder="Search claims: words, #id, kind, status, or a phrase to find them by "
                                                  "meaning too, marked ≈ (enter: to the list, esc: clear)")
        with Horizontal(id="importing"):
            yield Label(id="import-step")
            yield ProgressBar(id="import-bar", show_eta=False)
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        progress = self.store.progress()
        if progress.total > EAGER_CLAIMS:
            self._open_large_case(progress)
        else:
            self.case_grew()  # from nothing: the articles into the panes, the first claim selected
        self.claim_list.focus()
        self._apply_width(self.size.width)
        self._seen_change = self.store.last_change()
        self._seen_version = self.store.data_version()
        self._seen_refined = self.store.refined_count()
        self.set_interval(POLL_SECONDS, self._poll_others)
        self.store.defer_checkpoints()
        self.set_interval(CHECKPOINT_SECONDS, self._checkpoint)

    def reload(self) -> None:
        """Read the case from the database (on start, and after imports or realignment)."""
        self._case_generation += 1  # a read still under way in the thread is older than this one
        self.complete = True
        self.articles = {a.id: a for a in self.store.articles()}
        self._hold(self.store.claims(include_sentences=True))
        self._load_links()

    def _hold(self, claims: Iterable[Claim]) -> None:
        """Keep `claims` as the case's claims, with their counts and each article's reading order.

        They live as long as the screen: frozen, the garbage collector stops walking them on
        each full collection, a pause of a tenth of a second on a large case. What was frozen
        for the claims held before may go now."""
        gc.unfreeze()
        self.claims = {c.id: c for c in claims}
        self._tally = Counter(c.status for c in self.claims.values() if c.is_claim)
        self._article_claims = {}
        for claim in self.claims.values():
            self._article_claims.setdefault(claim.article_id, []).append(claim.id)
        gc.freeze()

    def _open_large_case(self, progress: Progress) -> None:
        """Show a large case at once: the first two articles, whole, and the counts of every
        claim; the rest is read on another connection and listed when it arrives (`_case_read`).
        Until then the analyst can read, move and mark; `m` and `c`, which need every claim,
        say they wait."""
        self._seen_articles = self.store.article_count()
        self._case_generation += 1
        self.complete = False
        self._applied_while_reading = {}
        self.articles = {a.id: a for a in self.store.articles()}
        self._hold(c for a in sorted(self.articles)[:2] for c in self.store.claims(article_id=a, include_sentences=True))
        self._tally = Counter(progress.counts)
        self._load_links()  # the groups are found once every claim is read
        self._show_case()
        self._read_case(self._case_generation)

    @work(thread=True, exclusive=True, group="checkpoint", exit_on_error=False)
    def _checkpoint(self) -> None:
        """Copy the marks' WAL into the database on a connection of its own, so that no mark
        waits for it (see `Store.defer_checkpoints`); one that fails is retried on the next tick."""
        try:
            with Store(self.store.path) as store:
                store.checkpoint()
        except (sqlite3.Error, StoreError):
            pass

    @work(thread=True, exclusive=True, group="case", exit_on_error=False)
    def _read_case(self, generation: int) -> None:
        try:
            with Store(self.store.path) as store:
                claims = store.claims(include_sentences=True)
        except Exception as error:  # noqa: BLE001 - the screen reads it here instead, and says why
            self.app.call_from_thread(self._case_read, generation, None, f"{type(error).__name__}: {error}")
            return
        self.app.call_from_thread(self._case_read, generation, claims)

    def _case_read(self, generation: int, claims: list[Claim] | None, failure: str = "") -> None:
        """Every claim of the case has been read: list them all, keeping what changed on screen
        while they were read (a mark made meanwhile is newer than the read)."""
        if generation != self._case_generation or self.complete:
            return  # the case was read again since
        if claims is None:
            self.notify(f"Reading the case in the background failed ({failure}); reading it here.",
                        severity="warning", timeout=8)
            self.case_grew()
            return
        if any(claim.article_id not in self.articles for claim in claims):
            self.case_grew()  # another analyst imported an article meanwhile: read it all here
            return
        read_whole = set(self._article_claims)  # articles whose every sentence is held already
        by_id = {c.id: c for c in claims}
        by_id.update(self._applied_while_reading)
        self._applied_while_reading = {}
        self._hold(by_id.values())
        self.complete = True
        self._relist()
        for slot in ("left", "right"):
            if (article := self.pane(slot).article) is not None and article.id not in read_whole:
                self._load_pane(slot, article.id)
        if self.selected is not None:
            self.select(self.selected, force=True)  # its matches in other articles are known now
        self._find_groups_soon()

    def _load_links(self) -> None:
        """Forget what was read of the links: a claim's links are read when it is shown (a
        case has a hundred thousand of them), its group when the groups are found."""
        self._links = {}
        self.conflicted = frozenset(
            claim_id for link in self.store.links(relation=CONFLICTS) for claim_id in (link.claim_a, link.claim_b)
        )
        self.claim_list.conflicted = self.conflicted
        for name in ("left", "right"):
            self.pane(name).view.set_conflicted(self.conflicted)
        self.group_of, self.grouped = {}, False
        self._generation += 1
        self._find_groups_soon()

    def _find_groups_soon(self) -> None:
        """Find the groups after the next frame, not before it, from the claims and articles
        held: every claim, so only once the case is read whole."""
        if self.complete:
            self.call_after_refresh(self._find_groups, self._generation, list(self.claims.values()),
                                    list(self.articles.values()))

    def _links_of(self, claim_id: int) -> list[Link]:
        """A claim's links, best first."""
        if claim_id not in self._links:
            self._links[claim_id] = self.store.links(claim_id)
        return self._links[claim_id]

    @work(thread=True, exclusive=True, group="groups", exit_on_error=False)
    def _find_groups(self, generation: int, claims: list[Claim], articles: list[Article]) -> None:
        """Claims joined by links, and the origins that confirm each group: a second's work on
        a large case, done with the links read on its own connection while the screen answers
        keys (the claims are the screen's: read once is enough)."""
        try:
            with Store(self.store.path) as store:
                grouped = export.Snapshot.of(claims, articles, store.links()).grouped
        except Exception as error:  # noqa: BLE001 - not found, it must say so, or `g` waits for ever
            self.app.call_from_thread(self.notify, f"Claim groups not found: {error}", severity="error", timeout=8)
            return
        group_of = {m: group for group in grouped for m in group.members}
        self.app.call_from_thread(self._groups_found, generation, group_of)

    def _groups_found(self, generation: int, group_of: dict[int, groups.Group]) -> None:
        if generation == self._generation:  # else the links changed while these were found
            self.group_of, self.grouped = group_of, True
            gc.freeze()  # as the claims are (see `_hold`; the next read of the case unfreezes)
            self._update_detail()

    @property
    def claim_list(self) -> ClaimList:
        return self.query_one(ClaimList)

    def pane(self, slot: str) -> ArticlePane:
        return self.query_one(f"#{slot}", ArticlePane)

    @property
    def narrow(self) -> bool:
        return self.has_class("narrow")

    def on_resize(self) -> None:
        self._apply_width(self.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width < NARROW, "narrow")
        self.query_one(Footer).compact = width < 100

    # -- what is listed ---------------------------------------------------------------------

    def visible_claims(self) -> list[Claim]:
        """Claims the list shows, after the filter and the search: in reading order, then those
        found by meaning alone, nearest first."""
        return self._found().claims

    def _found(self) -> search.Found:
        found = search.found(self.claims.values(), status=self.status_filter, analyst=self.analyst,
                             query=self.search, sentences=self.show_sentences, meaning=self.meaning)
        if found.failure and not self._meaning_off_said:
            # the case, the marks and word search need no model: the analyst goes on working,
            # told once why a phrase now finds only its words
            self._meaning_off_said = True
            self.notify(f"Search by meaning is off ({found.failure}); words still search.", severity="warning",
                        timeout=10)
        return found

    @property
    def listed(self) -> list[Claim]:
        """What the claims list shows, in its order."""
        return self.claim_list.claims

    def _claims_of(self, article_id: int | None) -> list[Claim]:
        return [self.claims[c] for c in self._article_claims.get(article_id, [])] if article_id is not None else []

    def _relist(self, keep: int | None = None) -> None:
        keep = self.selected if keep is None else keep
        found = self._found()
        visible = found.claims
        self._found_by_meaning = len(found.by_meaning)
        self.claim_list.load(visible, self.articles, keep=keep, by_meaning=found.by_meaning)
        if visible and not any(c.id == keep for c in visible):
            self.select(visible[0].id)
        self._update_status()

    # -- selection --------------------------------------------------------------------------

    def current(self) -> Claim | None:
        return self.claims.get(self.selected) if self.selected is not None else None

    def select(self, claim_id: int, *, prefer: str | None = None, force: bool = False) -> None:
        """Select a claim: show it in a pane, its best match in the other, its row in the list."""
        claim = self.claims.get(claim_id)
        if claim is None or (claim_id == self.selected and not force):
            return
        self.selected = claim_id
        slot = self._slot_for(claim.article_id, prefer)
        other = "right" if slot == "left" else "left"
        matches = self._matches_of(claim_id)
        if matches and not self.narrow:
            best = self.claims[matches[0]]
            if self.pane(other).article is None or not any(
                self.claims[m].article_id == self.pane(other).article.id for m in matches  # type: ignore[union-attr]
            ):
                self._load_pane(other, best.article_id)
        for name in ("left", "right"):
            view = self.pane(name).view
            view.set_focus_claims(claim_id if name == slot else None, matches)
        self.pane(slot).view.scroll_to_claim(claim_id)
        if not self.narrow:
            other_view = self.pane(other).view
            shown = [m for m in matches if other_view.has_claim(m)]
            if shown:
                other_view.scroll_to_claim(shown[0])
        self.claim_list.select_claim(claim_id)
        self._update_detail()

    def _slot_for(self, article_id: int, prefer: str | None) -> str:
        """The pane that shows (or will show) an article: where it is, else the preferred one."""
        for name in ("left", "right"):
            if self.pane(name).article and self.pane(name).article.id == article_id:  # type: ignore[union-attr]
                if name == "left" or not self.narrow:
                    return name
        slot = prefer or self._focused_slot() or "left"
        if self.narrow:
            slot = "left"
        self._load_pane(slot, article_id)
        return slot

    def _focused_slot(self) -> str | None:
        for name in ("left", "right"):
            if self.pane(name).view.has_focus:
                return name
        return None

    def _load_pane(self, slot: str, article_id: int | None) -> None:
        article = self.articles.get(article_id) if article_id is not None else None
        self.pane(slot).show(article, self._claims_of(article_id), self.show_sentences)

    def _matches_of(self, claim_id: int) -> list[int]:
        """Linked claims that are claims (not dismissed), best first."""
        return [
            other
            for link in self._links_of(claim_id)
            if (other := link.other(claim_id)) in self.claims and self.claims[other].is_claim
        ]

    @on(ClaimList.Highlighted, "#claims")
    def _row_highlighted(self, event: ClaimList.Highlighted) -> None:
        # A stale event (the cursor has moved on since it was posted) must not select its row:
        # two in flight (a fast page down, a relist) would otherwise bounce the selection.
        if event.claim_id == self.claim_list.claim_id_at_cursor():
            self.select(event.claim_id)

    @on(ArticleView.ClaimClicked)
    def _clicked(self, event: ArticleView.ClaimClicked) -> None:
        slot = "left" if event.view is self.pane("left").view else "right"
        self.select(event.claim_id, prefer=slot)

    def action_next_claim(self) -> None:
        self._step(1)

    def action_previous_claim(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        """In an article pane, move through that article's claims; elsewhere, through the list."""
        slot = self._focused_slot()
        if slot and self.pane(slot).article:
            article_id = self.pane(slot).article.id  # type: ignore[union-attr]
            ids = [c for c in self._article_claims.get(article_id, []) if self.claim_list.lists(c)]
            if not ids:
                self.app.bell()
                return
            if self.selected in ids:
                index = min(max(ids.index(self.selected) + delta, 0), len(ids) - 1)
            else:
                index = 0 if delta > 0 else len(ids) - 1
            self.select(ids[index], prefer=slot)
        elif (target := self.claim_list.claim_after(self.selected, delta)) is not None:
            self.select(target, prefer=slot)
        else:
            self.app.bell()

    def action_match(self) -> None:
        """Jump to a claim stating the same fact in another article, side by side with this one;
        pressing again goes on through the rest of its group, then back to where it started."""
        claim = self.current()
        if claim is None:
            self.app.bell()
            return
        if not self._whole_case():
            return
        if self._cycle and self.selected in self._cycle:
            position = (self._cycle.index(self.selected) + 1) % len(self._cycle)
        else:
            members = self._members_elsewhere(claim.id)
            if not members:
                self.notify("No matching claim in another article.", severity="warning", timeout=3)
                return
            self._cycle = [claim.id, *members]
            position = 1
        anchor, target = self._cycle[0], self._cycle[position]
        anchor_slot = self._slot_for(self.claims[anchor].article_id, None)
        other = "left" if anchor_slot == "right" or self.narrow else "right"
        if not self.narrow and target != anchor:
            other_pane = self.pane(other)
            if not other_pane.article or other_pane.article.id != self.claims[target].article_id:
                self._load_pane(other, self.claims[target].article_id)
        self.select(target, prefer=other if target != anchor else anchor_slot)
        if not self.narrow:
            self.pane(self._slot_for(self.claims[target].article_id, other)).view.focus()

    def _suggested(self, claim_id: int) -> str | None:
        """The credibility digit the claim's links suggest (the analyst decides); None until
        the groups, which count the independent origins, are found."""
        if not self.grouped:
            return None
        group = self.group_of.get(claim_id)
        return groups.suggest_credibility(self._links_of(claim_id), len(group.origins) if group else 0,
                                          group.disputed if group else False)

    def _members_elsewhere(self, claim_id: int) -> list[int]:
        """The claim's group in other articles: its direct matches best first, then the rest."""
        article = self.claims[claim_id].article_id
        direct = self._matches_of(claim_id)
        rest = [m for m in self._members(claim_id) if m not in direct and m != claim_id
                and m in self.claims and self.claims[m].is_claim]
        return [m for m in direct + rest if self.claims[m].article_id != article]

    def action_group(self) -> None:
        """Every claim stating the selected claim's fact: article, whom it cites, agree or not."""
        claim = self.current()
        if claim is None:
            self.app.bell()
            return
        if not self.grouped:
            self.notify("Still finding the claim groups; try again in a moment.", timeout=3)
            return
        members = self._members(claim.id) or [claim.id]
        direct = {link.other(claim.id): link for link in self._links_of(claim.id)}
        group = self.group_of.get(claim.id)
        origins = group.origins if group else []
        if group is not None and group.disputed:
            conflicts = sum(1 for link in group.links if link.relation == CONFLICTS)
            subtitle = Text(f"Disputed: its reports disagree ({conflicts} conflict{'' if conflicts == 1 else 's'}), "
                            "so it is not confirmed, however many repeat it.", style="bold")
        elif len(origins) >= 2:
            subtitle = Text(f"Confirmed by {len(origins)} independent origins "
                            "(outlets and cited sources; wire copies count once).", style="bold")
        else:
            origin = "one attributed origin" if origins else "no attributed origin"
            subtitle = Text(f"Not independently confirmed: {origin}.")
        for discrepancy in groups.discrepancies(group.links) if group else []:
            subtitle.append(f"\n{one_line(discrepancy.slot)}: ", "bold")
            by_value: dict[str, list[str]] = {}
            for claim_id, value in discrepancy.values:
                by_value.setdefault(one_line(value), []).append(self._reported_by(claim_id))
            subtitle.append(" · ".join(f"{value} ({', '.join(where)})" for value, where in by_value.items()))
        # this claim, its own links best first, then the rest of the group: on a large case a
        # group can chain thousands of claims, more than anyone reads or a list draws at once
        shown = [claim.id, *direct, *(m for m in members if m != claim.id and m not in direct)][:GROUP_ROWS]
        if len(members) > len(shown):
            subtitle.append(f"\nShowing {len(shown)} of the group's {len(members):,} claims: this one, "
                            "its own links, then the rest by number (workbench links --json lists them all).")
        rows = []
        for m in shown:
            other = self.claims.get(m)
            if other is None:
                continue
            link = direct.get(m)
            if m == claim.id:
                relation = ("▸ this claim", "bold")
            elif link is None:
                relation = ("· same group", "dim")
            elif link.conflicts:
                relation = (f"≠ conflicts: {one_line(link.reason or 'an analyst says so')}{_called(link)}", "bold")
            elif link.relation == REVISED:
                relation = (f"→ revised: {one_line(link.reason)}{_called(link)}", "bold")
            elif link.corroborates:
                relation = (f"= corroborates {link.score:.2f}{_called(link)}", "")
            else:
                relation = (f"~ related {link.score:.2f}{_called(link)}", "dim")
            cites = f"  [{one_line('; '.join(other.sources))}]" if other.sources else ""
            rows.append((m, Text.assemble(
                (f"#{m:<5} {self.articles[other.article_id].label:<4} ", "bold"),
                (f"{other.status.symbol} ", ""), relation, "\n      ", one_line(other.text), (cites, "dim"),
            )))
        self.app.push_screen(
            ClaimListDialog(f"Group of {claim.label}", subtitle, rows, "No other article states this claim."),
            self._jump,
        )

    def action_conflicts(self) -> None:
        """Every conflict between articles in the case, then every revision, to walk one by one."""
        if not self._whole_case():
            return
        rows = []
        found = self.store.links(relation=CONFLICTS) + self.store.links(relation=REVISED)
        for link in sorted(found, key=lambda l: (l.relation != CONFLICTS, l.claim_a, l.claim_b)):
            a, b = self.claims.get(link.claim_a), self.claims.get(link.claim_b)
            if a is None or b is None:
                continue
            sign = "≠" if link.conflicts else "→"
            rows.append((a.id, Text.assemble(
                (f"#{a.id} {self.articles[a.article_id].label} {sign} #{b.id} {self.articles[b.article_id].label}: ",
                 "bold"), one_line(link.reason or "an analyst says so"), (_called(link), "dim"),
                "\n   ", (one_line(a.text), ""), "\n   ", (one_line(b.text), "dim"),
            )))
        conflicts = sum(1 for link in found if link.conflicts)
        revised = len(found) - conflicts
        subtitle = Text(f"{conflicts} conflict{'' if conflicts == 1 else 's'} (≠): reports of one fact that give it "
                        "different values: a count, a date, a place, who did it, or one denies it."
                        + (f"\n{revised} revision{'' if revised == 1 else 's'} (→): one outlet's later story "
                           "changed what its earlier one said." if revised else ""))
        self.app.push_screen(ClaimListDialog("Conflicts in the case", subtitle, rows, "No conflicts found."),
                             self._jump)

    @property
    def groups(self) -> dict[int, list[int]]:
        """Each claim's group's members, as found."""
        return {m: group.members for m, group in self.group_of.items()}

    def _members(self, claim_id: int) -> list[int]:
        """The claims of the claim's group (none until the groups are found)."""
        group = self.group_of.get(claim_id)
        return group.members if group else []

    def _standing(self, claim_id: int, link: Link) -> str:
        article = self.articles.get
        return groups.standing(link, article(self.claims[claim_id].article_id),
                               article(self.claims[link.other(claim_id)].article_id))

    def _reported_by(self, claim_id: int) -> str:
        """Which report gave a value, and when: "A3 Wire 2026-03-13"."""
        claim = self.claims.get(claim_id)
        article = self.articles.get(claim.article_id) if claim else None
        return " ".join(one_line(x) for x in ((article.label, article.source, article.date) if article else ()) if x)

    def action_call_link(self) -> None:
        """The analyst's call on the selected claim and another: it stands whatever the aligner
        later decides, and goes into both claims' history."""
        claim = self.current()
        if claim is None or not claim.is_claim:
            self.app.bell()
            return
        first = [self._cycle[0]] if self._cycle and self._cycle[0] != claim.id else []
        # the claim `m` came from, then the flagged links (what a call most often answers), then the rest
        flagged_first = sorted(self._links_of(claim.id), key=lambda l: l.relation not in (CONFLICTS, REVISED))
        others = first + [link.other(claim.id) for link in flagged_first if link.other(claim.id) not in first]
        by_other = {link.other(claim.id): link for link in self._links_of(claim.id)}
        rows = []
        for other_id in others:
            other = self.claims.get(other_id)
            if other is None:
                continue
            link = by_other.get(other_id)
            if link is None:
                what = ("  not linked (the claim you came from)", "dim")
            else:
                what = (f"  {SIGNS.get(link.relation, '~')} {link.relation}{_called(link)}", "bold" if link.conflicts else "")
            rows.append((other_id, Text.assemble(
                (f"#{other_id:<5} {self.articles[other.article_id].label:<4}", "bold"), what,
                "\n      ", one_line(other.text))))

        def called(result: LinkCall | None) -> None:
            if result is not None:
                self._call_link(claim, result)

        self.app.push_screen(LinkCallDialog(claim, rows), called)

    def _call_link(self, claim: Claim, result: LinkCall) -> None:
        try:
            link = self.store.call_link(claim.id, result.other, result.call, self.analyst)
        except (StoreError, ValueError, sqlite3.Error, OSError) as error:
            self.notify(f"Not saved: {error}", severity="error", timeout=8)
            return
        self._seen_change = max(self._seen_change, self.store.last_change())
        self._load_links()
        self.select(claim.id, force=True)
        now = f"now {SIGNS.get(link.relation, '~')} {link.relation}" if link else "now not linked"
        self.notify(f"{claim.label} and #{result.other}: {CALL_NAMES[result.call]} ({now}). Saved; it stands "
                    "whatever the aligner decides later.", timeout=5)

    def _whole_case(self) -> bool:
        """Whether every claim is read; if not, say so (an answer from part of the case, such as
        "no matching claim", would be wrong)."""
        if not self.complete:
            self.notify("Still reading the case; try again in a moment.", timeout=3)
        return self.complete

    def _jump(self, claim_id: int | None) -> None:
        if claim_id is None or claim_id not in self.claims:
            return
        if not self.claim_list.lists(claim_id):  # filtered or searched away: show everything
            self.status_filter, self.search = None, ""
            self.query_one("#search", Input).value = ""
            self._relist(keep=claim_id)
        self.select(claim_id, force=True)

    # -- marking ----------------------------------------------------------------------------

    def action_mark(self, status: str) -> None:
        claim = self.current()
        if claim is None:
            self.app.bell()
            return
        self._save(lambda: self.store.mark(claim.id, status, self.analyst))

    def action_note(self) -> None:
        claim = self.current()
        if claim is None:
            self.app.bell()
            return

        def done(result: NoteResult | None) -> None:
            if result is not None:
                self._save(lambda: self.store.annotate(claim.id, self.analyst, result.note, result.evidence))

        self.app.push_screen(NoteDialog(claim), done)

    def action_evidence(self) -> None:
        """The selected claim's evidence items: add one, or withdraw one."""
        claim = self.current()
        if claim is None:
            self.app.bell()
            return
        try:
            items = self.store.evidence(claim.id)
        except (StoreError, sqlite3.Error) as error:
            self.notify(f"Not read: {error}", severity="error", timeout=8)
            return

        def done(change: EvidenceChange | None) -> None:
            if change is None:
                return
            try:
                if change.withdraw is not None:
                    item = self.store.withdraw_evidence(change.withdraw, self.analyst)
                    said = f"Withdrew E{item.id} from {claim.label}; u takes it back."
                else:
                    item = self.store.add_evidence(claim.id, change.kind, change.stance, change.value, self.analyst,
                                                   note=change.note)
                    said = f"{claim.label}: {one_line(item.summary())}"
            except (StoreError, sqlite3.Error, OSError) as error:
                self.notify(f"Not saved: {error}", severity="error", timeout=8)
                return
            self._evidence.pop(claim.id, None)
            self._update_detail()
            self.notify(said, timeout=3)

        self.app.push_screen(EvidenceDialog(claim, items), done)

    def _evidence_of(self, claim_id: int) -> list[EvidenceItem]:
        """The claim's items that stand, read when it is first shown and again after a change
        to them (here, by undo, or by another analyst: `_poll_others`)."""
        if claim_id not in self._evidence:
            try:
                self._evidence[claim_id] = self.store.evidence(claim_id, withdrawn=False)
            except sqlite3.Error:
                return []  # busy: the next redraw reads it
        return self._evidence[claim_id]

    def action_article_details(self) -> None:
        """Correct the details of the selected claim's article (title, outlet, author, date, address)."""
        from workbench.tui.article_details import ArticleDetailsDialog

        claim = self.current()
        if claim is None:
            self.app.bell()
            return
        article = self.articles[claim.article_id]

        def done(changed: dict[str, str] | None) -> None:
            if not changed:
                return
            try:
                for field, value in changed.items():
                    updated = self.store.correct_article(article.id, field, value, self.analyst)
            except (StoreError, sqlite3.Error, OSError) as error:
                self.notify(f"Not saved: {error}", severity="error", timeout=8)
                return
            self.articles[updated.id] = updated
            self.claim_list.set_articles(self.articles)
            for slot in ("left", "right"):
                if self.pane(slot).article and self.pane(slot).article.id == updated.id:  # type: ignore[union-attr]
                    self._load_pane(slot, updated.id)
            self._update_detail()
            self.notify(f"{updated.label}: {', '.join(changed)} corrected.", timeout=3)

        self.app.push_screen(ArticleDetailsDialog(article), done)

    def action_promote(self) -> None:
        claim = self.current()
        if claim is None or claim.is_claim:
            self.notify("Promote works on a sentence: press s to show every sentence.", timeout=3)
            return
        if self._save(lambda: self.store.promote(claim.id, self.analyst)):
            from workbench import ingest  # the matcher, loaded when first needed (see `cli`)

            ingest.realign(self.store, [self.claims[claim.id]])
            self._load_links()
            self.notify(f"{claim.label} is now a claim.", timeout=3)
            self._update_detail()

    def action_dismiss_claim(self) -> None:
        claim = self.current()
        if claim is None or not claim.is_claim:
            self.app.bell()
            return
        visible = [c.id for c in self.listed]
        if self._save(lambda: self.store.dismiss(claim.id, self.analyst)):
            self.notify(f"Dismissed {claim.label}; press s to see it among the sentences, p to restore.",
                        timeout=4)
            if not self.show_sentences:
                # the next listed claim takes its place; a claim filtered out of the list (the
                # panes still show it) leaves the list as it is
                index = visible.index(claim.id) if claim.id in visible else len(visible)
                rest = visible[index + 1 :] or visible[:index]
                self.selected = None
                self._relist(keep=rest[0] if rest else None)
                if rest:
                    self.select(rest[0], force=True)

    def _save(self, change: callable) -> bool:  # type: ignore[valid-type]
        """Run one store change; show it only once it is committed, or say it was not saved."""
        try:
            claim = change()
        except (StoreError, sqlite3.Error, OSError) as error:
            self.notify(f"Not saved: {error}", severity="error", timeout=8)
            return False
        self._apply(claim)
        return True

    def _apply(self, claim: Claim) -> None:
        before = self.claims.get(claim.id)
        if before is None and not self.complete:
            # a claim of an article not read yet: what it was is not known here, the counts are
            self._tally = Counter(self.store.progress().counts)
        else:
            if before is not None and before.is_claim:
                self._tally[before.status] -= 1
            if claim.is_claim:
                self._tally[claim.status] += 1
        self.claims[claim.id] = claim
        if not self.complete:
            self._applied_while_reading[claim.id] = claim
        self.claim_list.update_claim(claim)
        for name in ("left", "right"):
            self.pane(name).view.update_claim(claim)
        self._update_detail()
        self._update_status()

    def action_credibility(self, digit: str) -> None:
        """NATO/Admiralty information credibility of the selected claim: 1 confirmed .. 6 cannot be judged."""
        claim = self.current()
        if claim is None or not claim.is_claim:
            self.app.bell()
            return
        if self._save(lambda: self.store.grade_claim(claim.id, digit, self.analyst)):
            meaning = CREDIBILITY.get(digit, "cleared")
            self.notify(f"{claim.label} credibility {digit or '–'}: {meaning}.", timeout=3)

    def action_reliability(self) -> None:
        """NATO/Admiralty reliability of the selected claim's source (its article), A to F."""
        claim = self.current()
        if claim is None:
            self.app.bell()
            return
        article = self.articles[claim.article_id]
        rows = [(n + 1, Text.assemble((f"{letter}  ", "bold"), meaning))
                for n, (letter, meaning) in enumerate(RELIABILITY.items())]
        rows.append((len(rows) + 1, Text("–  not graded", style="dim")))
        letters = [*RELIABILITY, ""]

        def chosen(pick: int | None) -> None:
            if pick is None:
                return
            try:
                updated = self.store.grade_source(article.id, letters[pick - 1], self.analyst)
            except (StoreError, sqlite3.Error, OSError) as error:
                self.notify(f"Not saved: {error}", severity="error", timeout=8)
                return
            self.articles[updated.id] = updated
            self.claim_list.set_articles(self.articles)
            self._update_detail()
            self.notify(f"{updated.label} source reliability {updated.reliability or '–'}.", timeout=3)

        subtitle = Text.assemble(f"{article.label} ", (one_line(article.source or article.title), "bold"),
                                 f"  (now {one_line(article.reliability) or 'not graded'})")
        self.app.push_screen(ClaimListDialog("Source reliability", subtitle, rows, ""), chosen)

    def action_take(self) -> None:
        """Assign the selected claim to me, or give it back if it is mine."""
        claim = self.current()
        if claim is None or not claim.is_claim:
            self.app.bell()
            return
        assignee = "" if claim.assignee == self.analyst else self.analyst
        try:
            [updated] = self.store.assign([claim.id], assignee, self.analyst)
        except (StoreError, sqlite3.Error, OSError) as error:
            self.notify(f"Not saved: {error}", severity="error", timeout=8)
            return
        self._apply(updated)
        who = "you" if assignee else "nobody"
        self.notify(f"{claim.label} is assigned to {who}" + (f" (was {one_line(claim.assignee)})"
                    if claim.assignee and claim.assignee != self.analyst else "") + ".", timeout=3)

    def action_progress(self) -> None:
        """How far the review is, per article, per assignee, and marks per analyst."""
        overall, by, marks = self.store.progress(), self.store.progress_by(), self.store.marks_by_analyst()
        rows: list[tuple[int, Text]] = []
        for title, key in (("article", "article"), ("assignee", "assignee")):
            for name, p in by[key].items():
                label = name or "(unassigned)"
                rows.append((self.selected or 0, Text.assemble((f"{title:<9}", "dim"), (f"{one_line(label):<14}", "bold"),
                                                              f"{p.reviewed:>4}/{p.total:<5} {p.summary()}")))
        for name, n in marks.items():
            rows.append((self.selected or 0, Text.assemble(("analyst  ", "dim"), (f"{one_line(name):<14}", "bold"),
                                                          f"{n:>4} marks")))
        subtitle = Text(f"Reviewed {overall.reviewed}/{overall.total}: {overall.summary()}", style="bold")
        self.app.push_screen(ClaimListDialog("Progress", subtitle, rows, "No claims yet."))

    def action_undo(self) -> None:
        """Take back my own last change (a new history entry; nothing is deleted)."""
        try:
            result = self.store.undo(self.analyst)
        except (StoreError, sqlite3.Error, OSError) as error:
            self.notify(f"Not undone: {error}", severity="error", timeout=8)
            return
        if result is None:
            self.notify("Nothing of yours to undo.", timeout=3)
            return
        claim, entry = result
        self._seen_change = max(self._seen_change, self.store.last_change())
        self._evidence.pop(claim.id, None)
        self._apply(claim)
        if claim.is_claim != self.claims.get(claim.id, claim).is_claim or entry.action in ("promote", "dismiss"):
            self._relist(keep=claim.id)
        self.select(claim.id, force=True)
        if entry.evidence_item is not None:
            self.notify(f"Undid your {'added' if entry.action == 'evidence' else 'withdrawn'} evidence on {claim.label}: "
                        f"{one_line(entry.evidence or '')}", timeout=4)
            return
        self.notify(f"Undid your {entry.action} of {claim.label}: now {claim.status.symbol} {claim.status.value}.",
                    timeout=4)

    def action_history(self) -> None:
        """Who changed the selected claim, when, from what to what, with which note."""
        claim = self.current()
        if claim is None:
            self.app.bell()
            return
        rows = []
        for entry in reversed(self.store.history(claim.id)):
            change = (f"{Status(entry.old_status).symbol} {entry.old_status} → {Status(entry.new_status).symbol} "
                      f"{entry.new_status}") if entry.old_status and entry.new_status else ""
            undo = f" (takes back change {entry.undoes})" if entry.undoes else ""
            if entry.action == "call":
                change = f"link to #{entry.other_claim}: {CALL_NAMES.get(entry.call or '', entry.call)}"
            elif entry.evidence_item is not None:
                change = f"E{entry.evidence_item} {entry.evidence or ''}"
            rows.append((claim.id, Text.assemble(
                (f"{one_line(entry.at[:19].replace('T', ' '))} UTC  ", "dim"), (one_line(entry.analyst), "bold"),
                one_line(f"  {entry.action}{undo}  {change}"),  # a merged case's history is anyone's
                ("\n   note: " + one_line(entry.note), "") if entry.note else "",
            )))
        self.app.push_screen(ClaimListDialog(
            f"History of {claim.label}", Text(one_line(claim.text)), rows, "No changes yet: the finder's view."))

    def _poll_others(self) -> None:
        """Show other analysts' changes within a second of their commit, and say who made them."""
        try:
            version = self.store.data_version()
            if version == self._seen_version:
                return
            self._seen_version = version
            changes = self.store.changes_since(self._seen_change)
            articles = self.store.article_count()
        except sqlite3.Error:
            return  # busy or briefly unreadable: the next tick tries again
        if articles != self._seen_articles:
            importing = self.query_one("#importing").display
            self.case_grew()
            if not importing:
                self.notify(f"The case now has {articles} articles (imported by another analyst).", timeout=5)
        elif (refined := self.store.refined_count()) != self._seen_refined:  # decided elsewhere
            self._seen_refined = refined
            self.reload()
            self._show_case()
        relist = False
        shown = {entry.claim_id: self.claims.get(entry.claim_id) for entry in changes}  # as on screen
        calls = [entry for entry in changes if entry.action == "call"]
        changes = [entry for entry in changes if entry.action != "call"]
        if calls:
            self._seen_change = max(self._seen_change, *(entry.id for entry in calls))
            self._load_links()
            if self.selected is not None:
                self.select(self.selected, force=True)
            for entry in calls[::2]:  # each call is written to both claims' history
                if entry.analyst != self.analyst:
                    why = f" ({one_line(entry.note)})" if entry.note else ""
                    self.notify(f"{one_line(entry.analyst)}: #{entry.claim_id} and #{entry.other_claim} "
                                f"{CALL_NAMES.get(entry.call or '', 'called')}{why}", timeout=4)
        for entry in changes:
            self._seen_change = max(self._seen_change, entry.id)
            self._evidence.pop(entry.claim_id, None)
            before = shown[entry.claim_id]
            try:
                claim = self.store.claim(entry.claim_id)
            except StoreError:
                continue
            relist |= before is None or before.is_claim != claim.is_claim
            self._apply(claim)
            if entry.analyst == self.analyst:
                continue
            what = f"{entry.action} {claim.label}"
            if entry.evidence_item is not None:  # an item added or withdrawn: no verdict crossed
                verb = {"evidence": "added evidence to", "withdraw": "withdrew evidence from"}.get(entry.action, "undid evidence on")
                self.notify(f"{one_line(entry.analyst)} {verb} {claim.label}: {one_line(entry.evidence or '')}", timeout=4)
                continue
            if entry.new_status and entry.old_status != entry.new_status:
                what += f" {Status(entry.old_status).symbol} → {Status(entry.new_status).symbol} {entry.new_status}"
            if before is not None and before.analyst == self.analyst:
                self.notify(f"{one_line(entry.analyst)} changed {claim.label} after you: {what}. Theirs is now saved; "
                            "yours is in its history (h).", title="Crossing edit", severity="warning", timeout=10)
            else:
                self.notify(f"{one_line(entry.analyst)}: {what}", timeout=4)
        if relist:
            self._relist()

    def case_grew(self) -> None:
        """Articles were added (here or by another analyst): list them, fill an empty pane."""
        self._seen_articles = self.store.article_count()
        self.reload()
        self._show_case()

    def _show_case(self) -> None:
        """List the claims held, fill an empty pane, select the first claim if none is."""
        self._relist()
        shown = {self.pane(slot).article.id for slot in ("left", "right") if self.pane(slot).article}
        for slot in ("left", "right"):
            if self.pane(slot).article is None:
                spare = [a for a in sorted(self.articles) if a not in shown]
                if spare:
                    self._load_pane(slot, spare[0])
                    shown.add(spare[0])
        if self.selected is None and (visible := self.visible_claims()):
            self.select(visible[0].id)

    # -- importing (the work runs in the app's worker; this shows where it is) ---------------

    def show_import(self, what: str, done: int, total: int, *, doing: str = "Importing") -> None:
        """Where the work in the background is: an import, or the links being decided after it."""
        self.query_one("#importing").display = True
        self.query_one("#import-step", Label).update(Text(f"{doing}: {one_line(what)}", no_wrap=True,
                                                          overflow="ellipsis"))
        self.query_one("#import-bar", ProgressBar).update(total=total, progress=done)

    def links_decided(self, failure: str | None) -> None:
        """The links imports left quick are decided: conflicts and promotions show now."""
        self.query_one("#importing").display = False
        if failure:
            self.notify(f"Links not decided: {failure}", title="Links", severity="error", timeout=15)
            return
        self._seen_refined = self.store.refined_count()
        self.reload()
        self._show_case()

    def import_finished(self, report: ingest.ImportReport | None, failure: str | None = None, *,
                        show: bool = False) -> None:
        """Say how an import ended; `show` (an import the analyst asked for from the dialog)
        brings its first new article into a pane, with its first claim selected."""
        self.query_one("#importing").display = False
        if failure:
            self.notify(f"Import stopped: {failure}", title="Not imported", severity="error", timeout=15)
            if self.store.article_count() != self._seen_articles:  # stored before it stopped: this
                self.case_grew()  # analyst's import, not "another analyst's" as the poll would say
            return
        assert report is not None
        self.case_grew()
        for error in report.errors:
            self.notify(one_line(str(error)), title="Refused", severity="error", timeout=15)
        for path, existing in report.duplicates:
            self.notify(f"{one_line(path)} is already in the case as {existing.label}.", timeout=6)
        self.notify(f"Import: {report.summary()}.", timeout=6)
        if show and report.added and report.added[0].id in self.articles:
            self._show_article("left" if self.narrow else "right", report.added[0].id)

    # -- filter, search, sentences ------------------------------------------------------------

    def action_cycle_filter(self) -> None:
        index = FILTERS.index(self.status_filter)
        self.status_filter = FILTERS[(index + 1) % len(FILTERS)]
        self._relist()
        self.notify(f"Showing {self._filter_label()}.", timeout=2)

    def _filter_label(self) -> str:
        if self.status_filter == search.MINE:
            return "assigned to me"
        return self.status_filter.value if isinstance(self.status_filter, Status) else "all claims"

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()
        if self.complete and self.meaning.failure is None:
            self._warm_meaning(list(self.claims.values()))

    @work(thread=True, exclusive=True, group="meaning", exit_on_error=False)
    def _warm_meaning(self, claims: list[Claim]) -> None:
        """The claims' vectors, while the analyst types the first letters: the first search by
        meaning of a large case would otherwise wait for them (40,000 claims: about half a
        second); later searches compute only claims new or changed since."""
        self.meaning.warm(claims)

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search = event.value
        self._relist()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.claim_list.focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.value or search.display:
            search.value = ""
            search.display = False
            self.search = ""
            self._relist()
            self.claim_list.focus()

    def action_toggle_sentences(self) -> None:
        self.show_sentences = not self.show_sentences
        for name in ("left", "right"):
            self.pane(name).view.set_show_sentences(self.show_sentences)
        self._relist()
        state = "every sentence (p promotes one)" if self.show_sentences else "claims only"
        self.notify(f"Showing {state}.", timeout=2)

    # -- articles -----------------------------------------------------------------------------

    def _target_slot(self) -> str:
        return self._focused_slot() or "left"

    def action_cycle_article(self, step: int) -> None:
        ordered = sorted(self.articles)
        if not ordered:
            return
        slot = self._target_slot()
        current = self.pane(slot).article
        index = ordered.index(current.id) if current and current.id in ordered else -step
        self._show_article(slot, ordered[(index + step) % len(ordered)])

    def action_pick_article(self) -> None:
        slot = self._target_slot()
        current = self.pane(slot).article

        def picked(article_id: int | None) -> None:
            if article_id is not None:
                self._show_article(slot, article_id)

        self.app.push_screen(ArticlePicker(list(self.articles.values()), current.id if current else None), picked)

    def _show_article(self, slot: str, article_id: int) -> None:
        self._load_pane(slot, article_id)
        first = [c for c in self.visible_claims() if c.article_id == article_id][:1]
        if first:
            self.select(first[0].id, prefer=slot, force=True)
        self.pane(slot).view.focus()

    # -- export, help -------------------------------------------------------------------------

    def action_export(self) -> None:
        label = self._filter_label()

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self._export(request)

        self.app.push_screen(ExportDialog(export.FORMATS, Path.cwd(), label), chosen)

    def _export(self, request: ExportRequest) -> None:
        filters: dict[str, str] = {}
        if request.only_filtered and self.status_filter == search.MINE:
            filters["assignee"] = self.analyst
        elif request.only_filtered and isinstance(self.status_filter, Status):
            filters["status"] = self.status_filter.value
        self.notify(f"Writing {one_line(request.path.name)}…", timeout=3)
        self._write_sheet(request, filters)

    @work(thread=True, group="export", exit_on_error=False)
    def _write_sheet(self, request: ExportRequest, filters: dict[str, str]) -> None:
        """Write the claim sheet on its own connection: a large case takes seconds (an xlsx of
        34,000 claims, seven), and the screen goes on answering keys meanwhile; the export's one
        read of the case (`Store.reading`) is held there, out of the way of the marks made here.
        The file is replaced whole or not at all (`files.writing`)."""
        try:
            request.path.parent.mkdir(parents=True, exist_ok=True)
            with Store(self.store.path) as store, files.writing(request.path) as handle:
                export.write(store, request.fmt, handle, bom=request.bom, **filters)
        except Exception as error:  # noqa: BLE001 - a failed export must say so, whatever failed
            self.app.call_from_thread(self.notify, f"Export failed: {one_line(str(error))}", severity="error",
                                      timeout=8)
            return
        self.app.call_from_thread(self.notify, f"Wrote {one_line(str(request.path.resolve()))}",
                                  title="Claim sheet exported",
                                  timeout=8)

    def action_import_article(self) -> None:
        """`i`: a file, a folder, a link or pasted text into the case, imported by the app's
        worker as the files named on the command line are, under the same progress row."""
        app = self.app  # a WorkbenchApp: it owns the import worker
        self.app.push_screen(ImportDialog(lambda request: app.start_import(self, request),  # type: ignore[attr-defined]
                                          max_bytes=app.max_bytes))  # type: ignore[attr-defined]

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    # -- status and detail --------------------------------------------------------------------

    def _update_status(self) -> None:
        """The status line, from the claims in memory: it is redrawn on every mark."""
        progress = Progress(sum(self._tally.values()), dict(self._tally))
        parts = [
            f"Reviewed {progress.reviewed}/{progress.total}",
            *(["reading the case…"] if not self.complete else []),
            progress.summary(),
            f"filter: {self._filter_label()}",
        ]
        if self.search:
            parts.append(f"search: {one_line(self.search)!r}"
                         + (f" (≈ {self._found_by_meaning} by meaning)" if self._found_by_meaning else ""))
        if self.show_sentences:
            parts.append("showing sentences")
        parts.append(f"analyst: {one_line(self.analyst)}")
        # one line, always: no layout pass for it on every mark
        self.query_one("#status", Static).update(Text("  ·  ".join(parts), no_wrap=True, overflow="ellipsis"),
                                                 layout=False)

    def _update_detail(self) -> None:
        claim = self.current()
        detail = self.query_one("#detail", Static)
        if claim is None:
            detail.update(Text("No claim selected.", style="dim"), layout=False)
            return
        article = self.articles.get(claim.article_id)
        status = claim.status
        page = article.page_of(claim.start) if article else None  # a PDF's claim: which page
        head = Text.assemble(
            (claim.label, "bold"), " ", (article.label if article else "", "bold"), f" p. {page}" if page else "",
            f" · {claim.kind.value if claim.is_claim else 'sentence (not a claim)'}",
            f" · check-worthiness {claim.score:.2f} · ",
            (f"{status.symbol} {status.value}", "bold"),
            no_wrap=True,
            overflow="ellipsis",
        )
        if claim.is_claim:
            graded = grade(article.reliability if article else "", claim.credibility)
            suggestion = self._suggested(claim.id)
            head.append(f" · grade {one_line(graded) or 'none'}", "bold")
            if suggestion is not None and suggestion != claim.credibility:
                head.append(f" (links suggest {suggestion})", "dim")
        if claim.analyst and claim.updated_at:
            head.append(f" by {one_line(claim.analyst)} at {one_line(claim.updated_at[:19].replace('T', ' '))} UTC",
                        "dim")
        facts = []
        if claim.is_claim and claim.origin == "corroboration":
            facts.append("a claim because another article states it as one")
        for label, values in (("numbers", claim.numbers), ("dates", claim.dates), ("sources", claim.sources)):
            if values:
                facts.append(f"{label}: " + "; ".join(one_line(v) for v in values))
        matches = self._matches_of(claim.id)
        if matches:
            by_other = {link.other(claim.id): link for link in self._links_of(claim.id)}
            kinds = []
            for words, relation in (("same fact as ", CORROBORATES), ("related to ", RELATED)):
                linked = [f"#{m} {self.articles[self.claims[m].article_id].label} ({by_other[m].score:.2f})"
                          for m in matches if by_other[m].relation == relation]
                if linked:
                    kinds.append(words + ", ".join(linked))
            if kinds:
                facts.append("  ·  ".join(kinds) + "  (m jumps)")
            conflicts = [
                f"{SIGNS[by_other[m].relation]} {self._standing(claim.id, by_other[m])} "
                f"#{m} {self.articles[self.claims[m].article_id].label}: "
                f"{one_line(by_other[m].reason or 'an analyst says so')}"
                for m in matches if by_other[m].relation in (CONFLICTS, REVISED)
            ]
        else:
            conflicts = []
        lines = [head, Text("  ·  ".join(facts) or "no numbers, dates or sources found", style="dim",
                            no_wrap=True, overflow="ellipsis")]
        if conflicts:  # before the note: a contradiction between sources is what to look at first
            lines.insert(1, Text("  ·  ".join(conflicts), style="bold", no_wrap=True, overflow="ellipsis"))
        items = self._evidence_of(claim.id)
        if claim.note or claim.evidence or items:
            # before the facts the finder read: the detail shows three lines, and the analysts'
            # evidence is what to see beside the claim
            lines.insert(2 if conflicts else 1, _evidence_line(claim, items))
        text = Text("\n").join(lines)
        text.no_wrap, text.overflow = True, "ellipsis"
        detail.update(text, layout=False)  # its height is fixed: no layout pass on every key



def _evidence_line(claim: Claim, items: list[EvidenceItem]) -> Text:
    """"evidence 3: ✓ link … ✗ quote … · note: …", as plain Text (items are anyone's text)."""
    line = Text(no_wrap=True, overflow="ellipsis")
    if items:
        line.append(f"evidence {len(items)}: ", "bold")
        for n, item in enumerate(items[:3]):
            line.append("  " if n else "")
            line.append(item.symbol, "bold green" if item.stance == "supports" else "bold red"
                        if item.stance == "refutes" else "bold")
            line.append(f" {item.kind} {one_line(item.value)[:60]}")
        if len(items) > 3:
            line.append(f"  +{len(items) - 3} more (E)", "dim")
    for label, value in (("note", claim.note), ("evidence", claim.evidence)):
        if value:
            line.append("  ·  " if line.plain else "")
            line.append(f"{label}: {one_line(value)}")
    return line


def _called(link: Link) -> str:
    """Whose call a link is, when an analyst's and not the aligner's."""
    return f" ({one_line(link.called_by)}'s call)" if link.call else ""
