"""Fetching an article from a link: the page's bytes as served, bounded in every way a server
can make a download go wrong, each failure said in one line.

The standard library's urllib does it: a timeout on connecting and on each read, a size cap
(the import's own), at most `MAX_REDIRECTS` redirects (a loop ends there), and the content type
checked before the body is read, so an image or a video is refused without being downloaded.
"""

from __future__ import annotations

import datetime
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message

#: Seconds to wait for the server to connect and for each read of the body.
TIMEOUT = 20.0
MAX_REDIRECTS = 5
#: What a link may serve: the kinds of article the reader reads.
ARTICLE_TYPES = ("text/html", "application/xhtml+xml", "application/pdf", "text/plain", "text/markdown")
_AGENT = "workbench (fact-checking; +https://pypi.org/project/workbench/)"


class FetchError(ValueError):
    """A link that gave no article, with the reason in one line."""


@dataclass(frozen=True, slots=True)
class Fetched:
    data: bytes
    media_type: str
    url: str  # where the page was in the end, after redirects
    retrieved_at: str


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS
    max_repeats = 1  # the same address twice is a loop


def fetch(url: str, *, max_bytes: int, timeout: float | None = None) -> Fetched:
    """The bytes `url` serves, or `FetchError` saying why there are none."""
    timeout = TIMEOUT if timeout is None else timeout
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError("only http:// and https:// links are fetched")
    opener = urllib.request.build_opener(_Redirects())
    request = urllib.request.Request(url, headers={"User-Agent": _AGENT, "Accept": ", ".join(ARTICLE_TYPES)})
    try:
        with opener.open(request, timeout=timeout) as response:
            media_type = _media_type(response.headers)
            if media_type not in ARTICLE_TYPES:
                what = media_type.split("/")[0] if media_type else "something"
                kind = f"an {what}" if what[:1] in "aeiou" else f"a {what}"
                raise FetchError(f"the link serves {kind} ({media_type or 'no content type'}), not an article")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"too large ({int(length):,} bytes; the limit is {max_bytes:,})")
            data = response.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise FetchError(f"too large (more than the limit of {max_bytes:,} bytes)")
            final = response.geturl()
    except urllib.error.HTTPError as error:
        if error.code in (301, 302, 303, 307, 308):
            raise FetchError(f"the link redirects in a loop or more than {MAX_REDIRECTS} times") from None
        raise FetchError(f"the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise FetchError(f"the server did not answer within {timeout:g} s (timed out)") from None
        if isinstance(reason, ssl.SSLError):
            raise FetchError(f"a secure connection could not be made ({reason})") from None
        raise FetchError(f"could not reach it: this machine may be offline, or the address is wrong ({reason})") from None
    except TimeoutError:
        raise FetchError(f"the server did not answer within {timeout:g} s (timed out)") from None
    except (OSError, ValueError) as error:  # a connection cut half way, a malformed answer
        if isinstance(error, FetchError):
            raise
        raise FetchError(f"the download failed ({error})") from None
    return Fetched(data=data, media_type=media_type, url=final,
                   retrieved_at=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


def _media_type(headers: Message) -> str:
    return (headers.get_content_type() if headers.get("Content-Type") else "").lower()
