"""What leaves the workbench other than through its screen: a command's lines on a terminal, a
claim sheet printed to one, and ClaimReview pasted into a web page.

On a terminal, text from outside (an article's OSC 52 sequence sets the clipboard, OSC 0 the
window title) is shown by visible stand-ins; into a file or a pipe a sheet is data, byte for
byte. ClaimReview JSON-LD holds no `<`, `>` or `&`, so no "</script" ends the element it sits in.
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from workbench import export, ingest
from workbench.cli import cli
from workbench.safetext import for_terminal
from workbench.store import Store

CLIPBOARD = "\x1b]52;c;RVZJTC1DTElQQk9BUkQ=\x07"  # OSC 52: "EVIL-CLIPBOARD" into the clipboard
TITLE = "\x1b]0;owned window\x07"  # OSC 0: the window title
#: What must never reach a terminal from outside text: ESC, BEL, CSI as one C1 byte, bidi overrides.
FORBIDDEN = ("\x1b", "\x07", "\x9b", "\x9d", "\u202e", "\u202d", "\u2066")


def assert_inert(text: str) -> None:
    for character in FORBIDDEN:
        assert character not in text, f"{character!r} reached the terminal"


def test_a_terminal_gets_every_line_and_no_control() -> None:
    sheet = f"\ufeffid,text\r\n1,{CLIPBOARD}{TITLE}\u202eabc\x9b2J\r\n"
    shown = for_terminal(sheet)
    assert_inert(shown)
    assert shown.splitlines() == ["id,text", "1,␛]52;c;RVZJTC1DTElQQk9BUkQ=␇␛]0;owned window␇\ufffdabc\ufffd2J"]




# -- the command line -----------------------------------------------------------------------------

def run(*args: str, db: Path, analyst: str = "ana") -> Result:
    return CliRunner().invoke(cli, [*args, "--db", str(db), "--analyst", analyst])


@pytest.fixture
def hostile_case(db_path: Path, tmp_path: Path) -> Path:
    """A case whose third article carries a clipboard and a window-title sequence in its text and
    title, marked by an analyst whose name is markup and an escape."""
    report = tmp_path / "report.txt"
    report.write_text(f"Blast report {TITLE}\n\nOfficials said 40 people{CLIPBOARD} were hurt in the blast on "
                      f"Monday, \u202ethe ministry said.\n", encoding="utf-8")
    with Store(db_path) as store:
        ingest.import_seeds_if_empty(store, analyst="tester")
        added = ingest.import_paths(store, [report], analyst="tester", source=f"Wire{TITLE}").added[0]
        claim = store.claims(article_id=added.id)[0]
        store.mark(claim.id, "disputed", f"[/]{TITLE}", note=f"</script><script>alert(1)</script>{CLIPBOARD}")
    return db_path


def test_mark_link_and_assign_echo_a_hostile_analyst_name_inert(hostile_case: Path) -> None:
    name = f"[@click=app.quit]CLICKME[/]{CLIPBOARD}"
    with Store(hostile_case) as store:
        first, second = (store.claims(article_id=article.id)[0].id for article in store.articles()[:2])
    outputs = [run("mark", str(first), "disputed", db=hostile_case, analyst=name),
               run("link", str(first), str(second), "conflict", db=hostile_case, analyst=name),
               run("assign", name, "--claim", str(first), db=hostile_case, analyst=name),
               run("progress", db=hostile_case), run("claims", db=hostile_case), run("links", db=hostile_case)]
    for result in outputs:
        assert result.exit_code == 0, result.output
        assert_inert(result.output)
    assert "by [@click=app.quit]CLICKME[/]␛]52;c;" in outputs[0].output


def test_an_error_line_quoting_a_hostile_path_is_inert(hostile_case: Path, tmp_path: Path) -> None:
    missing = tmp_path / f"no such folder{TITLE}" / "sheet.csv"
    for result in (run("export", "--format", "csv", "-o", str(missing), db=hostile_case),
                   run("merge", str(tmp_path / f"gone{CLIPBOARD}.db"), db=hostile_case)):
        assert result.exit_code == 1
        assert "Traceback" not in result.output
        assert_inert(result.output)
        assert "␛]" in result.output  # the escape is named, not obeyed


def on_a_terminal(*args: str) -> bytes:
    """What `workbench ARGS` prints when its standard output is a terminal (a pseudo-terminal)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "workbench", *args], stdout=follower,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    os.close(follower)
    received = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal's other end closed: the command is done
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    assert process.wait(timeout=60) == 0, process.stderr.read()
    return bytes(received)


ESCAPES = re.compile(rb"\x1b|\x07|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")


def undated(sheet: bytes) -> bytes:
    """A sheet without the moment it was exported (two exports a second apart differ there)."""
    return re.sub(rb"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?", b"<when>", sheet)


@pytest.mark.parametrize("fmt", ["csv", "md", "json", "claimreview", "html"])
def test_an_export_to_a_terminal_passes_no_escape_and_to_a_pipe_every_byte(hostile_case: Path, fmt: str) -> None:
    shown = on_a_terminal("export", "--format", fmt, "--db", str(hostile_case))
    assert shown and not ESCAPES.search(shown), ESCAPES.search(shown)
    assert b"owned window" in shown
    piped = subprocess.run([sys.executable, "-m", "workbench", "export", "--format", fmt, "--db", str(hostile_case)],
                           capture_output=True, check=True).stdout
    with Store(hostile_case) as store:
        written = export.render_bytes(store, fmt)
    assert undated(piped) == undated(written)  # a sheet is data: nothing changed on its way
    if fmt == "csv":
        assert CLIPBOARD.encode() in piped  # the sequence itself, byte for byte


@pytest.mark.parametrize("command", [["claims", "--json"], ["links", "--json"], ["progress", "--json"]])
def test_json_listings_on_a_terminal_pass_no_escape(hostile_case: Path, command: list[str]) -> None:
    shown = on_a_terminal(*command, "--db", str(hostile_case))
    assert shown and not ESCAPES.search(shown), ESCAPES.search(shown)


# -- ClaimReview inside a page ------------------------------------------------------------------


def test_claimreview_holds_no_closing_script_tag_and_parses_back_to_the_same_strings(hostile_case: Path) -> None:
    with Store(hostile_case) as store:
        text = export.render(store, "claimreview", publisher="Desk</SCRIPT><script>x()</script>&co")
        disputed = [c for c in store.claims() if c.status.value == "disputed"]
        store.mark(disputed[0].id, "disputed", "ana", note="Checked </script > & <!-- twice")
        again = export.render(store, "claimreview", publisher="</script")
    for document in (text, again):
        assert "</script" not in document.lower()
        assert "<" not in document and ">" not in document and "&" not in document
    reviews = json.loads(text)
    assert reviews[0]["author"]["name"] == "Desk</SCRIPT><script>x()</script>&co"
    assert reviews[0]["reviewRating"]["alternateName"].endswith(f"</script><script>alert(1)</script>{CLIPBOARD}")
    assert json.loads(again)[0]["reviewRating"]["alternateName"] == "Disputed: Checked </script > & <!-- twice"


def test_the_html_report_has_no_script_element_from_the_case(hostile_case: Path) -> None:
    with Store(hostile_case) as store:
        page = export.render(store, "html")
    assert "<script" not in page.lower()
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
