"""Links and standard input: `workbench import https://...` fetches the page (from a server on
127.0.0.1 here) and reads it as a saved one; every way a download goes wrong is one line, and
the rest of the import goes on; `workbench import -` reads standard input."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import made_documents as made
import pytest
from click.testing import CliRunner, Result

from workbench import fetch
from workbench.cli import cli

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


class Site(BaseHTTPRequestHandler):
    """A news site with every kind of trouble at its own address."""

    def do_GET(self) -> None:
        routes = {
            "/port/crane": (200, "text/html; charset=utf-8", made.page().encode("utf-8")),
            "/report.pdf": (200, "application/pdf", made.pdf([["Port officials said 14 ships were waiting."] * 3])),
            "/photo.png": (200, "image/png", PNG),
            "/big": (200, "text/html", b"<html><body>" + b"<p>word</p>" * 20_000),
            "/login": (200, "text/html", made.login_wall().encode("utf-8")),
        }
        if self.path == "/moved":
            self._redirect("/port/crane")
        elif self.path.startswith("/loop"):
            self._redirect("/loop-b" if self.path == "/loop-a" else "/loop-a")
        elif self.path == "/slow":
            time.sleep(1.5)
            self._answer(200, "text/html", made.page().encode("utf-8"))
        elif self.path == "/gzipped":
            body = gzip.compress(made.page(title="Gzipped crane story").encode("utf-8"))
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path in routes:
            self._answer(*routes[self.path])
        else:
            self._answer(404, "text/html", b"<html><body>Not here</body></html>")

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _answer(self, code: int, media_type: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(fetch, "TIMEOUT", 0.5)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def run(*args: str, db: Path, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, [*args, "--db", str(db), "--analyst", "ana"], input=input)


def articles(db: Path) -> list[dict]:
    return json.loads(run("articles", "--json", db=db).output)


def test_a_link_is_fetched_and_read_as_a_saved_page(site: str, db_path: Path) -> None:
    result = run("import", f"{site}/port/crane", db=db_path)
    assert result.exit_code == 0, result.output
    [article] = articles(db_path)
    assert article["url"] == f"{site}/port/crane" and article["path"] is None
    assert (article["title"], article["outlet"], article["media_type"]) == (
        "Crane failure halts port loading", "Harbour Gazette", "text/html")
    assert made.PARAGRAPHS[0] in article["text"] and "<" not in article["text"]
    assert article["retrieved_at"] and article["sha256"]


def test_a_redirect_is_followed_and_the_address_reached_is_kept(site: str, db_path: Path) -> None:
    assert run("import", f"{site}/moved", db=db_path).exit_code == 0
    assert articles(db_path)[0]["url"] == f"{site}/port/crane"


def test_a_gzipped_page_and_a_pdf_are_read_by_what_they_are(site: str, db_path: Path) -> None:
    assert run("import", f"{site}/gzipped", f"{site}/report.pdf", db=db_path).exit_code == 0
    titles = {a["media_type"]: a for a in articles(db_path)}
    assert titles["text/html"]["title"] == "Gzipped crane story"
    assert titles["application/pdf"]["page_starts"] == [0]


def test_every_broken_link_is_one_line_and_the_rest_is_imported(site: str, db_path: Path) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: as a machine offline finds every address
    links = {
        f"{site}/nowhere": "answered 404",
        f"{site}/loop-a": "redirects in a loop",
        f"{site}/photo.png": "serves an image (image/png)",
        f"{site}/slow": "did not answer within 0.5 s",
        f"{site}/big": "too large",
        f"{site}/login": "no article text",
        f"http://127.0.0.1:{port}/story": "could not reach it: this machine may be offline",
    }
    result = run("import", *links, f"{site}/port/crane", "--max-size", "0.1", db=db_path)
    assert result.exit_code == 1
    refusals = [line for line in result.stderr.splitlines() if line.startswith("workbench: ")]
    assert len(refusals) == len(links), result.stderr
    for link, why in links.items():
        assert any(line.startswith(f"workbench: {link}: ") and why in line for line in refusals), (link, refusals)
    assert "1 imported" in result.stderr
    assert "https:/" not in result.output


def test_a_link_is_never_read_as_a_file_path(db_path: Path) -> None:
    result = run("import", "ftp://files.example/story.txt", db=db_path)
    assert "no such file" in result.output
    result = run("import", "https://127.0.0.1:1/story", db=db_path)
    assert "workbench: https://127.0.0.1:1/story: could not reach it" in result.output


def test_standard_input_is_read_as_an_article(db_path: Path) -> None:
    text = "Harbour cranes back in service\n\nThe operator said on Friday that all 6 cranes were working again."
    result = run("import", "-", "--source", "Harbour Radio", db=db_path, input=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    [article] = articles(db_path)
    assert (article["title"], article["outlet"], article["path"], article["media_type"]) == (
        "Harbour cranes back in service", "Harbour Radio", None, "text/plain")
    assert article["text"] == text


def test_a_page_on_standard_input_is_read_as_a_page(db_path: Path) -> None:
    assert run("import", "-", db=db_path, input=made.page().encode("utf-8")).exit_code == 0
    assert articles(db_path)[0]["outlet"] == "Harbour Gazette"


def test_empty_standard_input_is_one_line(db_path: Path) -> None:
    result = run("import", "-", db=db_path, input=b"")
    assert result.exit_code == 1
    assert result.stderr.strip() == "workbench: standard input: empty file"
