"""Take the README's screenshots from the real app on the bundled seeds.

    python scripts/screenshots.py [OUT_DIR]      (default: screenshots/)

Each shot starts from a fresh case, presses the keys an analyst would, and saves an SVG.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from workbench import ingest
from workbench.store import Store
from workbench.tui.app import WorkbenchApp


@dataclass(frozen=True)
class Shot:
    name: str
    keys: tuple[str, ...] = ()
    size: tuple[int, int] = (120, 40)
    no_color: bool = False
    typed: str = ""
    extra: str = ""  # a further article, imported after the seeds


#: A third report that disagrees with the seeds, for the conflict screenshot.
WIRE = """Tanker lost over Iraq

A US KC-135 tanker went down over western Iraq on Wednesday, officials said.

“Three aircraft were involved in the incident,” a Pentagon official said.

Most KC-135s fly with five crew members, a Pentagon official said.
"""


SHOTS = (
    Shot("main", ("v", "j", "d", "j", "o", "j")),
    Shot("match", ("j", "j", "j", "j", "m")),
    Shot("note", ("j", "n"), typed="CENTCOM release of 12 March; AP confirms the second tanker"),
    Shot("filter-search", ("slash",), typed="aircraft"),
    Shot("export", ("v", "e")),
    Shot("help", ("question_mark",)),
    Shot("narrow-80x24", ("j", "v"), size=(80, 24)),
    Shot("conflict", ("j", "j", "j", "j"), extra=WIRE),
    Shot("group", ("j", "j", "j", "j", "g"), extra=WIRE),
    Shot("conflicts", ("c",), extra=WIRE),
    Shot("call", ("j", "j", "j", "j", "l"), extra=WIRE),
    Shot("evidence", ("j", "E"), typed="https://example.org/centcom-release-12-march"),
    Shot("import", ("i",), typed="reports/tanker-wire-13-march.md"),
    Shot("no-color", ("v", "j", "d", "j", "o"), no_color=True),
)


async def take(shot: Shot, out_dir: Path, work: Path) -> Path:
    db_path = work / f"{shot.name}.db"
    with Store(db_path) as store:
        ingest.import_seeds_if_empty(store, analyst="screenshots")
        if shot.extra:
            extra = work / f"{shot.name}.txt"
            extra.write_text(shot.extra, encoding="utf-8")
            ingest.import_paths(store, [extra], analyst="screenshots", source="Wire")
    if shot.no_color:
        os.environ["NO_COLOR"] = "1"
    else:
        os.environ.pop("NO_COLOR", None)
    app = WorkbenchApp(db_path, "ana")
    async with app.run_test(size=shot.size) as pilot:
        await pilot.pause()
        for key in shot.keys:
            await pilot.press(key)
        if shot.typed:
            await pilot.press(*shot.typed)
        await pilot.pause(0.3)
        path = out_dir / f"{shot.name}.svg"
        app.save_screenshot(path.name, path=str(out_dir))
    return path


async def main(out_dir: Path) -> None:
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    os.chdir(tempfile.gettempdir())  # the export dialog offers the working directory: keep it stable
    with tempfile.TemporaryDirectory() as work:
        for shot in SHOTS:
            print(await take(shot, out_dir, Path(work)))


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")))
