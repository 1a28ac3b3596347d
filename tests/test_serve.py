"""`workbench serve`: the browser view, on localhost unless told otherwise."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("textual_serve")
import aiohttp  # textual-serve brings it

from workbench.serve import Gate, Origin, parse_origin


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_on_localhost_with_the_workbench_page(tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "workbench", "serve", "--port", str(port),
                               "--db", str(tmp_path / "case.db"), "--analyst", "ana"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        page = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode("utf-8", "replace")
            except OSError:
                time.sleep(0.3)
        assert "workbench" in page.lower()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serving_beyond_localhost_warns_that_there_is_no_authentication(tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "workbench", "serve", "--host", "0.0.0.0", "--port", str(port),
                               "--db", str(tmp_path / "case.db")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        time.sleep(3)
    finally:
        server.terminate()
        _, err = server.communicate(timeout=10)
    assert "anyone who can reach it can read and change the case" in err



def test_a_bad_allowed_origin_or_a_busy_port_is_one_line_on_stderr(tmp_path: Path) -> None:
    db = str(tmp_path / "case.db")
    bad = subprocess.run([sys.executable, "-m", "workbench", "serve", "--allow-origin", "review.example.org/path",
                          "--port", str(free_port()), "--db", db], capture_output=True, text=True, timeout=60,
                         check=False)
    assert bad.returncode != 0 and bad.stderr.count("\n") == 1 and "--allow-origin" in bad.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = subprocess.run([sys.executable, "-m", "workbench", "serve", "--port", str(taken.getsockname()[1]),
                               "--db", db], capture_output=True, text=True, timeout=60, check=False)
    assert busy.returncode != 0 and "cannot listen on" in busy.stderr and "Traceback" not in busy.stderr


# --- The rules, without a network: which Host and Origin headers reach the workbench ---

def test_origins_are_compared_with_their_default_ports_and_without_case() -> None:
    assert parse_origin("HTTPS://Review.Example.org") == Origin("https", "review.example.org", 443)
    assert parse_origin("http://[::1]:8000") == Origin("http", "::1", 8000)
    for not_an_origin in ("null", "", "file:///tmp/x.html", "review.example.org", "http://a@b.example",
                          "https://review.example.org/path", "http://host:99999"):
        assert parse_origin(not_an_origin) is None, not_an_origin


def test_on_localhost_only_loopback_names_and_allowed_hosts_are_answered() -> None:
    gate = Gate("127.0.0.1", [Origin("https", "review.example.org", 443)])
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "127.0.0.2:9000", "review.example.org"):
        assert gate.refusal(host, None, "http", websocket=False) is None, host
    for host in ("evil.example:8000", "10.0.0.7:8000", "localhost:8000/x", "user@localhost:8000", "", None):
        assert gate.refusal(host, None, "http", websocket=False), host


def test_on_every_address_any_ip_and_this_machines_names_are_answered_but_not_other_names() -> None:
    gate = Gate("0.0.0.0")
    for host in ("192.0.2.10:8000", "[2001:db8::1]:8000", f"{socket.gethostname()}:8000", "localhost:8000"):
        assert gate.refusal(host, None, "http", websocket=False) is None, host
    assert gate.refusal("evil.example:8000", None, "http", websocket=False)


def test_a_websocket_needs_an_origin_that_is_its_host_or_allowed_while_a_page_needs_none() -> None:
    gate = Gate("localhost", [Origin("https", "review.example.org", 443)])
    assert gate.refusal("localhost:8000", None, "http", websocket=False) is None
    assert gate.refusal("localhost:8000", None, "http", websocket=True)
    assert gate.refusal("localhost:8000", "http://localhost:8000", "http", websocket=True) is None
    assert gate.refusal("localhost:8000", "https://review.example.org", "http", websocket=True) is None
    for origin in ("http://127.0.0.1:8000", "http://localhost:8001", "https://localhost:8000", "null",
                   "http://review.example.org"):
        assert gate.refusal("localhost:8000", origin, "http", websocket=True), origin
        assert gate.refusal("localhost:8000", origin, "http", websocket=False), origin


def test_the_page_sends_its_socket_back_to_the_origin_it_was_loaded_from() -> None:
    gate = Gate("127.0.0.1", [Origin("https", "review.example.org", 443)])
    assert gate.page_origin("localhost:8000", "http").url() == "http://localhost:8000"
    assert gate.page_origin("[::1]:8000", "http").url() == "http://[::1]:8000"
    assert gate.page_origin("review.example.org", "http").url() == "https://review.example.org"


# --- Who may open a session, and how many: a real `workbench serve` and real websocket handshakes ---

WAIT = 30.0  # seconds: a session's workbench starting on a slow machine, or a server coming up


@dataclass
class Served:
    port: int
    process: subprocess.Popen[str]

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def sessions(self) -> list[int]:
        """The server's child processes: one per session, since each runs with `exec`."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # gone meanwhile
            if int(fields[1]) == self.process.pid and fields[0] != "Z":
                children.append(int(stat.parent.name))
        return children

    async def wait_for_sessions(self, count: int) -> list[int]:
        """The sessions, once there are `count` of them (or as they are when the wait runs out)."""
        deadline = time.monotonic() + WAIT
        while len(found := self.sessions()) != count and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        return found


@contextlib.contextmanager
def served(tmp_path: Path, *options: str) -> Iterator[Served]:
    if not Path("/proc/self/stat").exists():
        pytest.skip("counts session processes through /proc")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "workbench", "serve", "--port", str(port), *options,
                                "--db", str(tmp_path / "case.db"), "--analyst", "ana"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    server = Served(port, process)
    try:
        deadline = time.monotonic() + WAIT
        while True:
            try:
                with urllib.request.urlopen(server.url(), timeout=2):
                    break
            except urllib.error.HTTPError:
                break  # it answers, if only to refuse
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "workbench serve did not come up"
                time.sleep(0.2)
        yield server
    finally:
        sessions = server.sessions()
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        for pid in sessions:  # a session the server failed to end must not outlive the test
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@contextlib.asynccontextmanager
async def session(server: Served, origin: str | None, host: str | None = None) -> AsyncIterator[bytes]:
    """A browser's websocket to the server, yielding the first screen bytes its workbench sends."""
    headers = {}
    if origin is not None:
        headers["Origin"] = origin
    if host is not None:
        headers["Host"] = host
    async with aiohttp.ClientSession() as client, client.ws_connect(
            server.url("/ws?width=100&height=30"), headers=headers, timeout=aiohttp.ClientWSTimeout(ws_close=5),
            autoping=True) as websocket:
        while True:
            message = await asyncio.wait_for(websocket.receive(), WAIT)
            assert message.type == aiohttp.WSMsgType.BINARY, message
            if message.data:
                break
        yield message.data


async def refused(server: Served, origin: str | None, host: str | None = None) -> int:
    """The HTTP status a websocket handshake is refused with (fails the test if it is accepted)."""
    with pytest.raises(aiohttp.WSServerHandshakeError) as refusal:
        async with session(server, origin, host):
            pass
    return refusal.value.status


async def page_status(server: Served, host: str | None = None) -> int:
    async with aiohttp.ClientSession() as client, client.get(
            server.url(), headers={"Host": host} if host else {}, timeout=aiohttp.ClientTimeout(total=10)) as page:
        return page.status


async def test_a_page_of_this_server_gets_a_session_with_its_own_workbench(tmp_path: Path) -> None:
    with served(tmp_path) as server:
        async with session(server, server.origin) as screen:
            assert screen
            assert len(await server.wait_for_sessions(1)) == 1
        assert await server.wait_for_sessions(0) == []  # the slot is free and the process gone


async def test_a_page_on_localhost_is_the_same_origin_when_its_host_says_so(tmp_path: Path) -> None:
    with served(tmp_path) as server:
        async with session(server, f"http://localhost:{server.port}", host=f"localhost:{server.port}") as screen:
            assert screen


async def test_a_page_of_another_site_is_refused_before_any_process_starts(tmp_path: Path) -> None:
    with served(tmp_path) as server:
        for origin in ("http://evil.example", f"http://evil.example:{server.port}", "null",
                       f"https://127.0.0.1:{server.port}", f"http://127.0.0.1:{server.port + 1}", None):
            assert await refused(server, origin) == 403, origin
        await asyncio.sleep(0.5)
        assert server.sessions() == []


async def test_a_host_name_the_server_was_not_given_is_refused_even_from_its_own_page(tmp_path: Path) -> None:
    # DNS rebinding: evil.example re-pointed at 127.0.0.1 makes its page "same origin" as us.
    with served(tmp_path) as server:
        host = f"evil.example:{server.port}"
        assert await refused(server, f"http://{host}", host=host) == 403
        assert await page_status(server, host=host) == 403
        assert await page_status(server, host=f"localhost:{server.port}") == 200
        await asyncio.sleep(0.5)
        assert server.sessions() == []


async def test_an_allowed_origin_gets_a_session(tmp_path: Path) -> None:
    allowed = "https://review.example.org"
    with served(tmp_path, "--allow-origin", allowed, "--allow-origin", "http://also.example.org:8080") as server:
        async with session(server, allowed) as screen:
            assert screen
        # an https proxy passing its own Host name on: the page links back to the proxy
        async with session(server, allowed, host="review.example.org") as screen:
            assert screen
        async with session(server, "http://also.example.org:8080") as screen:
            assert screen
        assert await refused(server, "https://other.example.org") == 403
        async with aiohttp.ClientSession() as client, client.get(server.url(),
                                                                 headers={"Host": "review.example.org"}) as page:
            assert 'data-session-websocket-url="wss://review.example.org/ws"' in await page.text()


async def test_a_visitor_beyond_the_cap_is_refused_until_a_session_ends(tmp_path: Path) -> None:
    with served(tmp_path, "--max-sessions", "2") as server:
        async with contextlib.AsyncExitStack() as open_sessions:
            await open_sessions.enter_async_context(session(server, server.origin))
            async with session(server, server.origin):
                first_two = await server.wait_for_sessions(2)
                assert len(first_two) == 2
                assert await refused(server, server.origin) == 503
                assert await page_status(server) == 503
                await asyncio.sleep(0.5)
                assert sorted(server.sessions()) == sorted(first_two)  # no third process, not even for a moment
            (still_open,) = await server.wait_for_sessions(1)
            assert [pid for pid in first_two if Path(f"/proc/{pid}").exists()] == [still_open]
            async with session(server, server.origin) as screen:
                assert screen
                assert len(await server.wait_for_sessions(2)) == 2
        assert await server.wait_for_sessions(0) == []


async def test_stopping_the_server_ends_every_session_process(tmp_path: Path) -> None:
    with served(tmp_path) as server:
        async with session(server, server.origin):
            (pid,) = await server.wait_for_sessions(1)
            server.process.terminate()
            await asyncio.to_thread(server.process.wait, 15)
    deadline = time.monotonic() + 5
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert not Path(f"/proc/{pid}").exists()
