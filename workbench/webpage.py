"""Reading a saved web page: the article a person would read, and what the page says about it.

trafilatura does the work (the best published extraction on the article-extraction benchmark,
F1 .958): it drops navigation, scripts, styles, adverts and comments, and reads the title,
author, site name, date and address from the page's own metadata (Open Graph, JSON-LD, meta
tags). Markup never reaches the stored text: what is stored is the extracted paragraphs, one
blank line apart, as a plain-text article is.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

#: Fewer words than this is no article: a login or paywall page, a cookie notice, a page of links.
MIN_WORDS = 25

#: The opening of an HTML document, after a byte-order mark, blank lines and comments.
_HTML_OPENING = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.IGNORECASE | re.DOTALL)
_WORD = re.compile(r"\w+")


class NotAnArticle(ValueError):
    """A page with no article to read, with the reason in an analyst's words."""


@dataclass(frozen=True, slots=True)
class Page:
    """What a page holds: the article's text and the page's metadata, each None when not found."""

    text: str
    title: str | None
    author: str | None
    sitename: str | None
    date: str | None
    url: str | None


def looks_like_html(data: bytes) -> bool:
    """Whether `data` opens as an HTML document does, whatever the file is called."""
    return bool(_HTML_OPENING.match(data[:4096]))


def read_page(data: bytes, *, url: str | None = None) -> Page:
    """The article in an HTML page's bytes (trafilatura finds the encoding); raises
    `NotAnArticle` for a page with no article text. `url` is where the page came from, when
    known: relative links and the outlet's name are read against it.

    `favor_precision` keeps teasers, link lists and captions out: on the benchmark's pages it
    raised the word F1 from .94 to .97 (scripts/evaluate_extraction.py), and a claim found in
    a "read more" box is a claim the article never made."""
    import trafilatura  # loads lxml and its own tables: only an import of pages pays for it

    _quiet()
    try:
        document = trafilatura.bare_extraction(
            data, url=url, with_metadata=True, include_tables=True, include_comments=False,
            include_images=False, favor_precision=True)
    except (ValueError, TypeError, RecursionError) as error:  # markup too broken for lxml to parse
        raise NotAnArticle(f"the page could not be parsed ({error})") from None
    text = _paragraphs(document.text if document is not None and document.text else "")
    if len(_WORD.findall(text)) < MIN_WORDS:
        raise NotAnArticle("no article text in the page (a login or paywall page, or a page of links?)")
    assert document is not None
    address = _clean(document.url) or url
    return Page(text=text, title=_clean(document.title), author=_clean(document.author),
                sitename=_clean(document.sitename) or _host(address), date=_clean(document.date), url=address)


def _host(address: str | None) -> str | None:
    """The outlet of a page that names none: its address's host, as analysts cite a site
    ("gazette.example"), without the `www.`."""
    if not address:
        return None
    host = urlsplit(address).hostname or ""
    return host.removeprefix("www.") or None


def _paragraphs(text: str) -> str:
    """trafilatura's lines as paragraphs, a blank line between each, as articles are written."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    return " ".join(value.split()) or None


def _quiet() -> None:
    """trafilatura, htmldate and courlan log what they discard as warnings; with no handler of
    the program's own, Python prints them on stderr, over the import's one-line report."""
    for name in ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
        logger.propagate = False
