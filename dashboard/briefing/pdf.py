"""The briefing as a PDF of at most two A4 landscape pages, drawn with matplotlib.

Page 1: the selection, the key figures, the map and the actions per year by
mode. Page 2: the leading partners (for a country: its modes, function ×
factor and programmes) and the meetings of the next 90 days. The marking
stands at the top and bottom of each page, the selection and the footer
(generation date, user, data version) on each. Text stays text (fonts
embedded with their Unicode mapping), so it can be searched and read back.
Its words, numbers and dates are in the language the briefing was built in.
"""

from __future__ import annotations

import io
import textwrap

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyBboxPatch, Rectangle
from matplotlib.textpath import TextPath
from matplotlib.ticker import FuncFormatter, MaxNLocator

from dashboard import i18n
from dashboard.briefing import worldmap
from dashboard.briefing.model import NO_ACTION, Briefing, Chart, Grid, Table
from dashboard.charts.maps import HOME_COLOR
from dashboard.i18n import _
from dashboard.settings import settings

# A4 landscape, in millimetres; matplotlib works in inches.
PAGE_W, PAGE_H = 297.0, 210.0
MM = 1 / 25.4
SIDE = 10.0
BAND = 6.0
INK = "#1f2a37"
MUTED = "#5f6b7a"
HEADER = "#14285a"
RULE = "#d5dbe3"
CARD = "#f4f6f9"
FICTIONAL_COLOR = "#b00020"
FONT = "DejaVu Sans"
MIME = "application/pdf"
RASTER_DPI = 160  # of the map, the only picture in the page


class _Page:
    """One A4 landscape sheet, laid out in millimetres from its top left corner."""

    def __init__(self) -> None:
        self.figure = Figure(figsize=(PAGE_W * MM, PAGE_H * MM))

    def axes(self, x: float, y: float, w: float, h: float):
        return self.figure.add_axes((x / PAGE_W, 1 - (y + h) / PAGE_H, w / PAGE_W, h / PAGE_H))

    def text(self, x: float, y: float, text: str, size: float, **style) -> None:
        style.setdefault("color", INK)
        self.figure.text(x / PAGE_W, 1 - y / PAGE_H, text, fontsize=size, va=style.pop("va", "top"), **style)

    def box(self, x: float, y: float, w: float, h: float, color: str, **style) -> None:
        self.figure.patches.append(
            Rectangle(
                (x / PAGE_W, 1 - (y + h) / PAGE_H),
                w / PAGE_W,
                h / PAGE_H,
                transform=self.figure.transFigure,
                facecolor=color,
                edgecolor=style.pop("edgecolor", "none"),
                **style,
            )
        )


def pdf_bytes(briefing: Briefing) -> bytes:
    """The briefing as a PDF file, in the language it was built in."""
    with i18n.using(briefing.lang):
        return _pdf_bytes(briefing)


def _pdf_bytes(briefing: Briefing) -> bytes:
    pages = [_first_page] if briefing.empty else [_first_page, _second_page]
    buffer = io.BytesIO()
    # matplotlib's Type 3 fonts carry their Unicode mapping (the text reads back, accents included) and cost
    # nothing to embed; TrueType subsets took a second per file.
    with (
        matplotlib.rc_context({"pdf.fonttype": 3, "font.family": FONT, "axes.unicode_minus": False}),
        PdfPages(buffer, metadata=_metadata(briefing)) as document,
    ):
        for number, draw in enumerate(pages, start=1):
            page = _Page()
            _furniture(page, briefing, number, len(pages))
            draw(page, briefing)
            document.savefig(page.figure, dpi=RASTER_DPI)
    return buffer.getvalue()


def _metadata(briefing: Briefing) -> dict[str, str]:
    return {
        "Title": briefing.title,
        "Subject": f"{briefing.subtitle} – {briefing.selection_line}",
        "Author": briefing.user,
        "Keywords": briefing.marking,
        "Creator": _("Tableau de bord PMO"),
    }


# ---- furniture --------------------------------------------------------------------------------------


def _furniture(page: _Page, briefing: Briefing, number: int, total: int) -> None:
    config = settings()
    for top in (0.0, PAGE_H - BAND):
        page.box(0, top, PAGE_W, BAND, config.marking_color)
        page.text(
            PAGE_W / 2,
            top + BAND / 2,
            briefing.marking,
            9,
            color=config.marking_text_color,
            ha="center",
            va="center",
            fontweight="bold",
        )
    page.text(
        SIDE,
        PAGE_H - BAND - 2.0,
        briefing.footer + " · " + _("page {number}/{total}").format(number=number, total=total),
        7.5,
        color=MUTED,
        va="bottom",
    )
    title = briefing.title if number == 1 else _("{title} (suite)").format(title=briefing.title)
    page.text(SIDE, BAND + 4, title, 18 if number == 1 else 14, fontweight="bold")
    if briefing.demo:
        page.text(
            PAGE_W - SIDE, BAND + 4.5, _("DONNÉES FICTIVES"), 10, color=FICTIONAL_COLOR, ha="right", fontweight="bold"
        )
    lines = textwrap.wrap(_("Sélection : {selection}").format(selection=briefing.selection_line), 175)
    if len(lines) > 2:
        lines = [*lines[:1], textwrap.shorten(" ".join(lines[1:]), 170, placeholder=" […]")]
    page.text(SIDE, BAND + 17 if number == 1 else BAND + 11.5, "\n".join(lines), 8.5, color=MUTED, linespacing=1.4)


def _first_page(page: _Page, briefing: Briefing) -> None:
    page.text(SIDE, BAND + 12, f"{briefing.subtitle} · {briefing.version}", 9, color=MUTED)
    top = 36.0
    if briefing.empty:
        page.text(SIDE, top + 4, _(NO_ACTION), 16, color=FICTIONAL_COLOR, fontweight="bold")
        page.text(
            SIDE,
            top + 13,
            _("Élargir la période ou retirer un filtre pour obtenir un point de situation."),
            10,
            color=MUTED,
        )
        _meetings(page, briefing.meetings, SIDE, top + 24, PAGE_W - 2 * SIDE, rows=12)
        return
    _figures(page, briefing, top)
    zone = f" – {_(briefing.map.zone)}" if briefing.map.zone else ""
    page.text(SIDE, 70, _("Où agit l'armée de Terre") + zone, 11, fontweight="bold")
    ax = page.axes(SIDE, 77, 175, 80)
    scale = page.axes(SIDE + 40, 163, 70, 2.6)
    worldmap.draw(ax, briefing.map, colorbar_ax=scale)
    # The countries as a picture inside the page: drawn as vectors they weigh a megabyte.
    ax.set_rasterization_zorder(10)
    page.text(SIDE + 120, 162.5, "■", 11, color=HOME_COLOR)
    page.text(SIDE + 125, 163.3, textwrap.fill(_(worldmap.HOME_KEY), 24), 7, color=MUTED)
    page.text(192, 70, briefing.per_year.title, 11, fontweight="bold")
    _stacked_bars(page.axes(200, 78, 87, 88), briefing.per_year)


def _figures(page: _Page, briefing: Briefing, top: float) -> None:
    count = len(briefing.figures)
    gap = 5.0
    width = (PAGE_W - 2 * SIDE - gap * (count - 1)) / count
    for index, figure in enumerate(briefing.figures):
        x = SIDE + index * (width + gap)
        page.figure.patches.append(
            FancyBboxPatch(
                (x / PAGE_W, 1 - (top + 22) / PAGE_H),
                width / PAGE_W,
                22 / PAGE_H,
                boxstyle="round,pad=0,rounding_size=0.006",
                transform=page.figure.transFigure,
                facecolor=CARD,
                edgecolor=RULE,
            )
        )
        page.text(x + 4, top + 3, figure.label, 9, color=MUTED)
        page.text(x + 4, top + 8, i18n.number(figure.value), 19, fontweight="bold")
        change = (
            _("{change} / période précédente").format(change=figure.change)
            if figure.change
            else _("pas de comparaison")
        )
        page.text(x + 4, top + 17, change, 7.5, color=MUTED)
    page.text(SIDE, top + 24.5, briefing.comparison, 7.5, color=MUTED)


def _second_page(page: _Page, briefing: Briefing) -> None:
    top = 30.0
    if briefing.country is None:
        chart = briefing.leading
        assert chart is not None, "the world briefing names the leading partners"
        page.text(SIDE, top, chart.title, 11, fontweight="bold")
        _bars(page.axes(SIDE + 38, top + 7, 82, 120), chart)
        _key(page, chart.key, SIDE, top + 132)
        if chart.note:
            page.text(SIDE, top + 139, chart.note, 7.5, color=MUTED)
        _meetings(page, briefing.meetings, 140, top, PAGE_W - SIDE - 140, rows=16)
        return
    modes, grid, programmes = briefing.modes, briefing.functions, briefing.programmes
    assert modes is not None and grid is not None and programmes is not None, "a country's briefing has them"
    page.text(SIDE, top, modes.title, 11, fontweight="bold")
    _doughnut(page.axes(SIDE, top + 5, 56, 62), modes)
    page.text(95, top, _("Fonction stratégique × facteur de supériorité"), 11, fontweight="bold")
    _heatmap(page.axes(136, top + 15, PAGE_W - SIDE - 136, 48), grid)
    page.text(95, top + 66, grid.note, 7.5, color=MUTED)
    lower = top + 76
    page.text(SIDE, lower, programmes.title, 11, fontweight="bold")
    _table(page, programmes, SIDE, lower + 6, 105, (55, 18, 16, 16), rows=8)
    _meetings(page, briefing.meetings, 125, lower, PAGE_W - SIDE - 125, rows=8)


def _key(page: _Page, key: tuple[tuple[str, str], ...], x: float, y: float) -> None:
    """What the bar colours mean, on one line: ■ Afrique ■ Europe …"""
    for name, color in key:
        page.text(x, y, "■", 10, color=color)
        page.text(x + 4, y + 0.6, name, 8)
        x += 7 + 1.6 * len(name)


def _meetings(page: _Page, table: Table, x: float, y: float, width: float, *, rows: int) -> None:
    page.text(x, y, table.title, 11, fontweight="bold")
    page.text(x, y + 5.5, table.note, 7.5, color=MUTED)
    _table(page, table, x, y + 10, width, (30, 68, 28, 30), rows=rows)


# ---- charts and tables -------------------------------------------------------------------------------


def _number_axis(axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _: i18n.number(v)))
    axis.set_major_locator(MaxNLocator(5, integer=True))


def _plain(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(RULE)
    ax.spines["bottom"].set_color(RULE)
    ax.tick_params(colors=INK, labelsize=8, length=0)


def _stacked_bars(ax, chart: Chart) -> None:
    if not chart.series:
        ax.set_axis_off()
        ax.text(0.5, 0.5, _("Aucune donnée"), ha="center", color=MUTED, transform=ax.transAxes)
        return
    positions = range(len(chart.categories))
    bottom = [0] * len(chart.categories)
    for series in chart.series:
        ax.bar(positions, series.values, bottom=bottom, color=series.color, label=series.name, width=0.7)
        bottom = [b + v for b, v in zip(bottom, series.values, strict=True)]
    ax.set_xticks(list(positions), chart.categories, rotation=45 if len(chart.categories) > 8 else 0)
    _number_axis(ax.yaxis)
    ax.set_ylabel(_(chart.value_name), fontsize=8, color=MUTED)
    ax.grid(axis="y", color=RULE, linewidth=0.5)
    ax.set_axisbelow(True)
    _plain(ax)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize=7.5, frameon=False)


def _bars(ax, chart: Chart) -> None:
    values = chart.series[0].values if chart.series else ()
    if not values:
        ax.set_axis_off()
        return
    positions = list(range(len(values)))[::-1]
    ax.barh(positions, values, color=chart.colors or None, height=0.7)
    ax.set_yticks(positions, [textwrap.shorten(c, 24, placeholder="…") for c in chart.categories], fontsize=8.5)
    for position, value in zip(positions, values, strict=True):
        ax.text(value, position, f" {i18n.number(value)}", va="center", fontsize=8, color=INK)
    ax.set_xlim(0, max(values) * 1.18)
    ax.xaxis.set_visible(False)
    _plain(ax)
    ax.spines["bottom"].set_visible(False)


def _doughnut(ax, chart: Chart) -> None:
    values = chart.series[0].values if chart.series else ()
    if not values:
        ax.set_axis_off()
        return
    total = sum(values)
    wedges, _texts = ax.pie(
        values, colors=chart.colors, startangle=90, counterclock=False, wedgeprops={"width": 0.42, "edgecolor": "white"}
    )
    ax.text(
        0, 0, _("{count}\nactions").format(count=i18n.number(total)), ha="center", va="center", fontsize=9, color=INK
    )
    # On two lines past 20 characters: « Accompagnement au combat : 10 % » ran into the grid at its right.
    labels = [
        "\n".join(textwrap.wrap(_("{name} : {share}").format(name=name, share=i18n.percent(v / total, 0)), 20))
        for name, v in zip(chart.categories, values, strict=True)
    ]
    ax.legend(wedges, labels, loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=7.5, frameon=False)
    ax.set_aspect("equal")


def _heatmap(ax, grid: Grid) -> None:
    top = max((v for row in grid.values for v in row), default=0) or 1
    ax.imshow(grid.values, cmap=worldmap.COLORMAP, vmin=0, vmax=top, aspect="auto")
    for r, row in enumerate(grid.values):
        for c, value in enumerate(row):
            color = "white" if value / top > 0.55 else INK
            ax.text(c, r, i18n.number(value), ha="center", va="center", fontsize=8, color=color)
    headings = ["\n".join(textwrap.wrap(c, 13)) for c in grid.columns]
    column = ax.get_position().width * ax.figure.get_figwidth() * 72 / max(1, len(grid.columns))
    ax.set_xticks(range(len(grid.columns)), headings, fontsize=_fitted(headings, column, 7))
    ax.set_yticks(range(len(grid.rows)), ["\n".join(textwrap.wrap(r, 20)) for r in grid.rows], fontsize=7.5)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _fitted(labels: list[str], width: float, size: float, gap: float = 6.0) -> float:
    """The font size, at most `size`, at which the widest line of `labels` leaves `gap` points to spare in
    `width` points (2 mm between two neighbours): side by side, « Compréhension » and « Coopération » touched at
    7 points."""
    font = FontProperties(family=FONT)
    widest = max(
        (
            TextPath((0, 0), line, size=size, prop=font).get_extents().width
            for label in labels
            for line in label.split("\n")
        ),
        default=0,
    )
    return size if widest <= width - gap else size * (width - gap) / widest


def _table(page: _Page, table: Table, x: float, y: float, width: float, shares: tuple, *, rows: int) -> None:
    """A table drawn line by line: a long cell goes on two lines (shortened past them); rows beyond `rows`
    are counted below."""
    if not table.rows:
        page.text(x, y + 2, table.empty, 9, color=MUTED)
        return
    scale = width / sum(shares)
    widths = [s * scale for s in shares]
    shown = table.rows[:rows]
    top = y
    for r, values in enumerate([table.columns, *shown]):
        # About 1.35 mm per character at 7.5 pt in DejaVu Sans.
        cells = [_wrapped(str(v), max(4, int((w - 2) / 1.35))) for v, w in zip(values, widths, strict=True)]
        height = 2.2 + 3.3 * max(len(c) for c in cells)
        if r == 0:
            page.box(x, top, width, height, HEADER)
        elif r % 2 == 0:
            page.box(x, top, width, height, CARD)
        left = x
        for lines, column_width in zip(cells, widths, strict=True):
            page.text(
                left + 1.2,
                top + 1.2,
                "\n".join(lines),
                7.5,
                color="white" if r == 0 else INK,
                fontweight="bold" if r == 0 else "normal",
                linespacing=1.15,
            )
            left += column_width
        top += height
    if len(table.rows) > rows:
        more = _("Les {count} premières sur {total}.").format(
            count=i18n.number(rows), total=i18n.number(len(table.rows))
        )
        page.text(x, top + 1.5, more, 7.5, color=MUTED)


def _wrapped(text: str, width: int) -> list[str]:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")]
    return lines
