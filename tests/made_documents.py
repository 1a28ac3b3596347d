"""Small web pages and PDFs made for the tests: no saved page or document of anyone else's."""

from __future__ import annotations

import io

#: An article of the tests' own, long enough to be one (three paragraphs).
PARAGRAPHS = (
    ("The harbour authority said on Tuesday that 14 container ships were waiting outside the port after "
     "a crane failure halted loading for most of the day."),
    ("Engineers expect the crane to be repaired by Thursday, according to a statement from the operator, "
     "which blamed a worn cable for the fault."),
    ("Shipping agents estimated that the delay would cost exporters about 2 million euros a day while the "
     "backlog is cleared."),
)


def page(paragraphs: tuple[str, ...] = PARAGRAPHS, *, title: str = "Crane failure halts port loading",
         site: str = "Harbour Gazette", date: str = "2026-04-07", author: str = "Mara Lind",
         url: str = "https://gazette.example/port/crane", extra_body: str = "") -> str:
    """A news page as outlets write them: metadata in the head, navigation, a script, a style,
    an article, a footer."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>{title} | {site}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta property="og:url" content="{url}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{date}T09:30:00Z">
<style>body {{ font-family: serif; }} .secret-style-rule {{ color: red; }}</style>
<script>var trackingPixel = "script text never shown"; window.dataLayer = [];</script>
</head><body>
<nav><a href="/">Home</a> <a href="/port">Port</a> <a href="/weather">Weather</a></nav>
<article><h1>{title}</h1>
<p class="byline">By {author}</p>
{body}
{extra_body}
</article>
<footer><p>Copyright Harbour Gazette. All rights reserved.</p></footer>
</body></html>
"""


def login_wall() -> str:
    """A page that asks for a login instead of showing the article."""
    return """<!doctype html><html><head><title>Sign in | Harbour Gazette</title></head><body>
<form><label>Email</label><input name="email"><label>Password</label><input type="password">
<button>Sign in</button></form><p>Subscribe to keep reading.</p></body></html>"""


def pdf(pages: list[list[str]]) -> bytes:
    """A PDF with a text layer: each page a list of lines, in Helvetica."""
    contents = []
    for lines in pages:
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 720 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        contents.append("\n".join(ops).encode("latin-1"))
    return _pdf_document(contents, with_font=True)


def image_pdf(page_count: int = 2) -> bytes:
    """A PDF of pictures only (as a scanner makes): shapes and an inline image, no text layer."""
    picture = b"q 200 0 0 200 72 500 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q 0.5 g 72 72 100 100 re f"
    return _pdf_document([picture] * page_count, with_font=False)


def encrypted_pdf(password: str = "harbour") -> bytes:
    """A PDF that opens only with a password."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf([["A locked report on the harbour crane failure and its costs."]])))
    writer = pypdf.PdfWriter()
    for one in reader.pages:
        writer.add_page(one)
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_document(contents: list[bytes], *, with_font: bool) -> bytes:
    count = len(contents)
    font_id = 3 + 2 * count
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(f"{3 + 2 * i} 0 R".encode() for i in range(count))
        + f"] /Count {count} >>".encode(),
    ]
    resources = f"/Resources << /Font << /F1 {font_id} 0 R >> >>" if with_font else "/Resources << >>"
    for i, content in enumerate(contents):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
                       f"{resources} >>".encode())
        objects.append(f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream")
    if with_font:
        objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
