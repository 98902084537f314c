"""Cut Streamlit's icon font down to the icons the dashboard can show, into `assets/fonts/`.

Streamlit draws its own icons and the app's (`:material/public:`) with Material
Symbols Rounded (Google, Apache License 2.0): 4 300 icons, each the ligature of
its name, 375 KB that every page asks for at once. The icons a page can show are
named in Streamlit's scripts and in the dashboard's code, as `:material/<name>:`.
This keeps those, with fontTools: the letters, digits and underscore that spell
the names, and the ligatures that end on a kept icon (an icon's other names, such
as `access_time` for `schedule`, come with it). An icon left out would show its
name in letters, so `--check` (a test) fails when the installed Streamlit's font
or a name in its scripts or in the code is not the one the kept file was cut for.

    python scripts/build_icon_font.py            # write the font and its list
    python scripts/build_icon_font.py --check    # only check them
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import string
import sys
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.web.early import STREAMLIT_JS  # noqa: E402
from dashboard.web.icons import FONT, streamlit_font  # noqa: E402

LISTING = FONT.with_suffix(".json")
# Where the dashboard names icons: its entry script, pages and package.
CODE = (ROOT / "app.py", ROOT / "pages", ROOT / "dashboard")
_NAME = re.compile(r":material/([a-z0-9_]+):")
# The characters icon names are spelled with.
SPELLING = string.ascii_lowercase + string.digits + "_"


def names_in(files: Iterable[Path]) -> set[str]:
    """The icon names written as `:material/<name>:` in `files`."""
    return {name for path in files for name in _NAME.findall(path.read_text(encoding="utf-8"))}


def wanted_names(scripts: Path = STREAMLIT_JS, code: Iterable[Path] = CODE) -> set[str]:
    """Every icon Streamlit's scripts or the dashboard's code can show."""
    files = sorted(scripts.glob("*.js"))
    for root in code:
        files += [root] if root.is_file() else sorted(root.rglob("*.py"))
    return names_in(files)


def ligatures(font: TTFont) -> dict[str, str]:
    """Icon name → its glyph, read from the font's ligature substitutions."""
    letters = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    found: dict[str, str] = {}
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            if table.LookupType == 7:  # an extension holds the real one
                table = table.ExtSubTable
            if table.LookupType != 4:
                continue
            for first, endings in table.ligatures.items():
                for ligature in endings:
                    spelled = [first, *ligature.Component]
                    if all(glyph in letters for glyph in spelled):
                        found["".join(letters[glyph] for glyph in spelled)] = ligature.LigGlyph
    return found


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build(source: Path, names: set[str]) -> tuple[bytes, dict[str, object]]:
    """The font of `source` cut down to `names` (those it draws), and the listing that says what it was cut from."""
    font = TTFont(source, recalcTimestamp=False)
    drawn = ligatures(font)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    # Without it, the ligatures of every kept letter would bring every icon back.
    options.layout_closure = False
    options.name_IDs = ["*"]  # the copyright and licence records stay
    options.name_languages = ["*"]
    options.notdef_outline = True
    cutter = subset.Subsetter(options)
    cutter.populate(glyphs=sorted({drawn[name] for name in names if name in drawn}), text=SPELLING)
    cutter.subset(font)
    out = io.BytesIO()
    font.save(out)
    listing = {
        "source": source.name,
        "source_sha256": digest(source.read_bytes()),
        "font_sha256": digest(out.getvalue()),
        "icons": sorted(name for name in names if name in drawn),
        # Named by Streamlit but not in its font: shown in letters with the whole font too.
        "not_in_streamlit_font": sorted(name for name in names if name not in drawn),
    }
    return out.getvalue(), listing


def problems(font_path: Path = FONT, listing_path: Path = LISTING) -> list[str]:
    """What makes the kept font wrong for the installed Streamlit and the code (nothing: an empty list)."""
    source = streamlit_font()
    if source is None:
        return ["Streamlit no longer ships MaterialSymbols-Rounded.*.woff2"]
    if not font_path.exists() or not listing_path.exists():
        return [f"{font_path.relative_to(ROOT)} or its listing is missing"]
    listing = json.loads(listing_path.read_text(encoding="utf-8"))
    found = []
    if listing["source"] != source.name or listing["source_sha256"] != digest(source.read_bytes()):
        found.append(f"cut from {listing['source']}, Streamlit now ships {source.name}")
    kept = font_path.read_bytes()
    if listing["font_sha256"] != digest(kept):
        return [*found, f"{font_path.name} is not the file its listing describes"]
    drawn = set(ligatures(TTFont(io.BytesIO(kept))))
    full = set(ligatures(TTFont(source)))
    missing = sorted(name for name in wanted_names() if name in full and name not in drawn)
    if missing:
        found.append(f"icons named but not kept: {', '.join(missing)}")
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only check the kept font")
    args = parser.parse_args(argv)
    if not args.check:
        source = streamlit_font()
        if source is None:
            sys.exit("Streamlit no longer ships MaterialSymbols-Rounded.*.woff2")
        data, listing = build(source, wanted_names())
        FONT.parent.mkdir(parents=True, exist_ok=True)
        FONT.write_bytes(data)
        LISTING.write_text(json.dumps(listing, indent=1) + "\n", encoding="utf-8")
        size = f"{len(data):_}".replace("_", " ")
        print(f"{FONT.relative_to(ROOT)}: {len(listing['icons'])} icons, {size} bytes")
    found = problems()
    if found:
        sys.exit("\n".join(found))


if __name__ == "__main__":
    main()
