"""`workbench serve`: textual-serve's server, closed to other sites and to a flood of visitors.

textual-serve gives every websocket on `/ws` a new workbench process, whoever opens it. A page on
any other site could open one in the analyst's browser (the browser sends the socket to localhost
without asking), read the screen with the case's articles on it and make marks in the analyst's
name; a page on a name the attacker controls could re-point that name at 127.0.0.1 (DNS
rebinding) and become "same origin". And every socket cost a process, without limit.

So, before any process starts: the Host a request names must be one this server answers to, a
websocket must come from a page of this server (its Origin is the Host asked for) or from an
origin the user allowed, and there must be a free session slot. A slot is given back only once
the session's process is gone.

The hooks are textual-serve's `Server` methods (`_make_app`, `handle_index`, `handle_websocket`)
and `AppService.stop` / `AppService._process`; pyproject pins textual-serve to the 1.1 series
they are read from.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import shlex
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("textual-serve")

DEFAULT_MAX_SESSIONS = 4
#: How long a session's workbench gets to quit when asked, before it is killed.
QUIT_GRACE_SECONDS = 5.0
#: How long a browser gets to answer the close of its socket when the server stops.
CLOSE_WAIT_SECONDS = 2.0
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_WILDCARDS = frozenset({"", "0.0.0.0", "::"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


class ServeError(Exception):
    """A reason `workbench serve` cannot start, for one line on stderr."""


@dataclass(frozen=True)
class Origin:
    """A web origin, normalised: scheme, lower-case host name (no brackets), explicit port."""

    scheme: str
    host: str
    port: int

    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.port == _DEFAULT_PORTS[self.scheme]:
            return f"{self.scheme}://{host}"
        return f"{self.scheme}://{host}:{self.port}"


def parse_origin(text: str) -> Origin | None:
    """An `Origin` header or an `--allow-origin` URL as an origin; None for anything else.

    `null` (sandboxed frames, local files), paths, credentials and other schemes are not origins
    a session may come from, so they are None rather than something half-understood.
    """
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname or parts.username is not None:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    return Origin(parts.scheme, parts.hostname, port if port is not None else _DEFAULT_PORTS[parts.scheme])


def parse_host(header: str, scheme: str) -> Origin | None:
    """The `Host` header as the origin the browser believes it is talking to; None if malformed."""
    if not header or any(mark in header for mark in "/?#@\\ "):
        return None
    return parse_origin(f"{scheme}://{header}")


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_loopback(name: str) -> bool:
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class Gate:
    """Which requests may reach the workbench: the Host and Origin rules, without any network.

    A browser only sends a Host name it looked up itself, so a name the server was not given
    (or, on a wildcard address, that is not this machine's) is a page that re-pointed its own
    name at us. An IP address in the Host involves no lookup, so it cannot be rebound; on
    localhost only loopback addresses can reach the socket anyway.
    """

    def __init__(self, bind_host: str, allowed_origins: Iterable[Origin] = ()) -> None:
        self.allowed_origins = frozenset(allowed_origins)
        bind = bind_host.strip("[]").lower()
        self.loopback_only = _is_loopback(bind)
        names = set(LOOPBACK_NAMES) | {origin.host for origin in self.allowed_origins}
        if bind not in _WILDCARDS:
            names.add(bind)
        if not self.loopback_only:
            names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        self.host_names = frozenset(names)

    def host_allowed(self, host: Origin) -> bool:
        if host.host in self.host_names or _is_loopback(host.host):
            return True
        return not self.loopback_only and _is_ip(host.host)

    def refusal(self, host_header: str | None, origin_header: str | None, scheme: str,
                websocket: bool) -> str | None:
        """Why this request is refused, or None to let it through."""
        host = parse_host(host_header or "", scheme)
        if host is None or not self.host_allowed(host):
            return "this server does not answer to that Host name (a guard against DNS rebinding)"
        if origin_header is None:
            # Every browser sends Origin when a page opens a websocket; a program could send
            # any Origin it likes, so only the socket insists on one.
            return "a session needs the Origin header a browser sends" if websocket else None
        origin = parse_origin(origin_header)
        if origin is not None and (origin == host or origin in self.allowed_origins):
            return None
        return "a page from another site may not use the workbench (see 'workbench serve --allow-origin')"

    def page_origin(self, host_header: str, scheme: str) -> Origin:
        """The origin the visitor's page lives at: links and the socket must point back at it.

        textual-serve writes its own bind address into the page, so a visitor on `localhost`
        would open the socket on `127.0.0.1`, another origin. An allowed origin with the same
        host and port keeps its scheme (an https proxy in front of a plain-http server).
        """
        host = parse_host(host_header, scheme)
        assert host is not None  # the middleware refused it otherwise
        for origin in self.allowed_origins:
            if (origin.host, origin.port) == (host.host, host.port) or (
                    origin.host == host.host and host.port == _DEFAULT_PORTS[scheme]):
                return origin
        return host


class WorkbenchSession(AppService):
    """One visitor's workbench process, which is surely gone when `stop` returns."""

    async def stop(self) -> None:
        try:
            await asyncio.wait_for(super().stop(), QUIT_GRACE_SECONDS)
        except TimeoutError:
            log.warning("a workbench did not quit when asked; killing it")
        process = self._process
        if process is None:
            return
        if process.returncode is None:
            try:
                process.kill()
            except ProcessLookupError:
                pass
        await process.wait()
        self._task = None


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class GuardedServer(Server):
    """textual-serve's `Server`, with the `Gate` in front and at most `max_sessions` processes."""

    def __init__(self, command: str, *, host: str, port: int, allowed_origins: Iterable[Origin] = (),
                 max_sessions: int = DEFAULT_MAX_SESSIONS, title: str = "workbench") -> None:
        super().__init__(command, host=host, port=port, title=title)
        self.gate = Gate(host, allowed_origins)
        self.max_sessions = max_sessions
        self.open_sessions = 0
        self._live: dict[WorkbenchSession, web.WebSocketResponse] = {}

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        websocket = request.headers.get("Upgrade", "").lower() == "websocket"
        reason = self.gate.refusal(request.headers.get("Host"), request.headers.get("Origin"), request.scheme,
                                   websocket)
        if reason is not None:
            log.warning("refused %s %s from %s (Host %r, Origin %r): %s", request.method, request.path,
                        request.remote, request.headers.get("Host"), request.headers.get("Origin"), reason)
            return web.Response(status=403, text=f"workbench: refused: {reason}\n")
        return await handler(request)

    def _busy(self) -> web.Response | None:
        if self.open_sessions < self.max_sessions:
            return None
        log.warning("refused a session: all %d are in use", self.max_sessions)
        text = (f"workbench: all {self.max_sessions} sessions are in use (workbench serve --max-sessions); "
                "close one and reload this page\n")
        return web.Response(status=503, text=text, headers={"Retry-After": "5"})

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> Any:
        busy = self._busy()
        if busy is not None:
            return busy
        origin = self.gate.page_origin(request.headers["Host"], request.scheme).url()
        socket_url = origin.replace("http", "ws", 1) + str(request.app.router["websocket"].url_for())
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": socket_url,
            "config": {"static": {"url": origin + str(request.app.router["static"].url_for(filename="/"))
                                  .rstrip("/") + "/"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's own session loop, inside a slot that is free again once the process is gone."""
        busy = self._busy()
        if busy is not None:
            return busy
        # Taken before the first await: two sockets arriving together cannot both have the last slot.
        self.open_sessions += 1
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        session: WorkbenchSession | None = None
        try:
            await websocket.prepare(request)
            session = WorkbenchSession(self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                                       close=websocket.close, download_manager=self.download_manager,
                                       debug=self.debug)
            self._live[session] = websocket
            await session.start(width, height)
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:  # a broken browser message must not take the server down
            log.exception("a session failed")
        finally:
            if session is None:
                self._release()
            else:
                self._live.pop(session, None)
                # Even if this handler is cancelled (the server shutting down), the process is
                # stopped, and only then is the slot given back.
                stopping = asyncio.ensure_future(session.stop())
                stopping.add_done_callback(self._release)
                await asyncio.shield(stopping)
        return websocket

    def _release(self, _stopped: object = None) -> None:
        self.open_sessions -= 1

    async def on_shutdown(self, app: web.Application) -> None:
        """End every session now: aiohttp would otherwise wait a minute for each browser to leave."""
        await super().on_shutdown(app)
        await asyncio.gather(*(self._end(session, websocket) for session, websocket in list(self._live.items())),
                             return_exceptions=True)

    @staticmethod
    async def _end(session: WorkbenchSession, websocket: web.WebSocketResponse) -> None:
        await session.stop()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(websocket.close(code=WSCloseCode.GOING_AWAY, message=b"workbench serve stopped"),
                                   CLOSE_WAIT_SECONDS)


def workbench_command(python: str, args: list[str]) -> str:
    """The shell line for one session: `exec`, so the session is one process, not a shell and a child."""
    return "exec " + shlex.join([python, *args])


def serve(command: str, *, host: str, port: int, allowed_origins: Iterable[str] = (),
          max_sessions: int = DEFAULT_MAX_SESSIONS) -> None:
    """Run the server until Ctrl+C or SIGTERM."""
    origins = []
    for text in allowed_origins:
        origin = parse_origin(text)
        if origin is None:
            raise ServeError(f"--allow-origin {text!r}: expected an origin such as https://review.example.org")
        origins.append(origin)
    if max_sessions < 1:
        raise ServeError("--max-sessions: at least 1")
    server = GuardedServer(command, host=host, port=port, allowed_origins=origins, max_sessions=max_sessions)
    try:
        server.serve()
    except OSError as error:
        raise ServeError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
