"""The briefing as a PowerPoint file: native, editable charts (python-pptx), the map as a picture.

Every slide carries the marking at its top and bottom, the selection in words
and a footer with the generation date, the user and the data version.
"""

from __future__ import annotations

import io
import textwrap

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from dashboard import i18n
from dashboard.briefing import worldmap
from dashboard.briefing.model import NO_ACTION, Briefing, Chart, Grid, Table
from dashboard.i18n import _
from dashboard.settings import settings

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.45)
BAND = Inches(0.28)
INK = RGBColor(0x1F, 0x2A, 0x37)
MUTED = RGBColor(0x5F, 0x6B, 0x7A)
HEADER = RGBColor(0x14, 0x28, 0x5A)
RULE = RGBColor(0xD5, 0xDB, 0xE3)
FICTIONAL_COLOR = RGBColor(0xB0, 0x00, 0x20)
MEETING_ROWS = 12
# Numbers in the briefing's language whatever the language of the office suite that opens the file: 1 234 and
# 10 % in French, not 1,234 and 10% (the [$-40C] locale prefix; `#,##0` alone followed the reader's settings);
# 1,234 and 10% in English ([$-809], English as written in the United Kingdom).
NUMBER_FORMATS = {"fr": "[$-40C]#,##0", "en": "[$-809]#,##0"}
PERCENT_FORMATS = {"fr": "[$-40C]0 %", "en": "[$-809]0%"}
MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def pptx_bytes(briefing: Briefing) -> bytes:
    """The briefing as a .pptx file, in the language it was built in."""
    with i18n.using(briefing.lang):
        return _pptx_bytes(briefing)


def _pptx_bytes(briefing: Briefing) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    deck.core_properties.title = briefing.title
    # The file's properties hold 255 characters at most.
    deck.core_properties.subject = textwrap.shorten(f"{briefing.subtitle} – {briefing.selection_line}", 255)
    deck.core_properties.author = briefing.user
    deck.core_properties.keywords = briefing.marking
    pages = _pages(briefing)
    for number, draw in enumerate(pages, start=1):
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        _furniture(slide, briefing, number, len(pages))
        draw(slide, briefing)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _pages(briefing: Briefing) -> list:
    if briefing.empty:
        return [_summary, _meetings]
    if briefing.country is None:
        return [_summary, _map, _per_year, _leading, _meetings]
    return [_summary, _map, _per_year_and_modes, _functions_and_programmes, _meetings]


# ---- furniture: marking, title, selection, footer ---------------------------------------------------


def _furniture(slide, briefing: Briefing, number: int, total: int) -> None:
    config = settings()
    for top in (Emu(0), HEIGHT - BAND):
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, top, WIDTH, BAND)
        band.fill.solid()
        band.fill.fore_color.rgb = _rgb(config.marking_color)
        band.line.fill.background()
        band.name = _("Marquage")
        _write(band.text_frame, briefing.marking, 11, bold=True, color=_rgb(config.marking_text_color), center=True)
    footer = f"{briefing.footer} · {number}/{total}"
    _text(slide, MARGIN, HEIGHT - BAND - Inches(0.34), WIDTH - 2 * MARGIN, Inches(0.3), footer, 9, color=MUTED)
    if briefing.demo:
        badge = _text(
            slide,
            WIDTH - MARGIN - Inches(2.2),
            BAND + Inches(0.12),
            Inches(2.2),
            Inches(0.3),
            _("DONNÉES FICTIVES"),
            11,
        )
        _style(badge.text_frame, bold=True, color=FICTIONAL_COLOR, align=PP_ALIGN.RIGHT)


def _heading(slide, title: str, briefing: Briefing) -> None:
    """The slide's title and, under it, the selection in one line."""
    _text(slide, MARGIN, BAND + Inches(0.1), WIDTH - 2 * MARGIN - Inches(2.3), Inches(0.55), title, 24, bold=True)
    selection = _text(
        slide,
        MARGIN,
        BAND + Inches(0.66),
        WIDTH - 2 * MARGIN,
        Inches(0.3),
        briefing.title + " · " + _("Sélection : {selection}").format(selection=briefing.selection_line),
        10,
        color=MUTED,
    )
    selection.text_frame.word_wrap = True


CONTENT_TOP = BAND + Inches(1.1)
CONTENT_BOTTOM = HEIGHT - BAND - Inches(0.45)


def _text(slide, left, top, width, height, text: str, size: int, *, bold: bool = False, color: RGBColor = INK):
    box = slide.shapes.add_textbox(left, top, width, height)
    box.text_frame.word_wrap = True
    _write(box.text_frame, text, size, bold=bold, color=color)
    return box


def _write(frame, text: str, size: int, *, bold: bool = False, color: RGBColor = INK, center: bool = False) -> None:
    frame.margin_top = frame.margin_bottom = Inches(0.02)
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE if center else MSO_ANCHOR.TOP
    lines = text.split("\n")
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = color
        if center:
            paragraph.alignment = PP_ALIGN.CENTER


def _style(frame, *, bold: bool | None = None, color: RGBColor | None = None, align=None) -> None:
    for paragraph in frame.paragraphs:
        if align is not None:
            paragraph.alignment = align
        for run in paragraph.runs:
            if bold is not None:
                run.font.bold = bold
            if color is not None:
                run.font.color.rgb = color


# ---- slides ----------------------------------------------------------------------------------------


def _summary(slide, briefing: Briefing) -> None:
    _text(slide, MARGIN, BAND + Inches(0.15), Inches(9), Inches(0.7), briefing.title, 30, bold=True)
    _text(slide, MARGIN, BAND + Inches(0.85), Inches(9), Inches(0.4), briefing.subtitle, 16, color=MUTED)
    top = BAND + Inches(1.45)
    if briefing.empty:
        message = _text(slide, MARGIN, top, WIDTH - 2 * MARGIN, Inches(0.6), _(NO_ACTION), 20, bold=True)
        _style(message.text_frame, color=FICTIONAL_COLOR)
        top += Inches(0.7)
    else:
        _figures(slide, briefing, top)
        top += Inches(1.75)
    _text(slide, MARGIN, top, Inches(3), Inches(0.35), _("Sélection"), 14, bold=True)
    rows = Table(_("Sélection"), (_("Filtre"), _("Valeurs")), briefing.selection)
    _table(slide, rows, MARGIN, top + Inches(0.4), WIDTH - 2 * MARGIN, widths=(2.6, 9.8), size=11, header=False)
    _text(
        slide,
        MARGIN,
        CONTENT_BOTTOM - Inches(0.35),
        WIDTH - 2 * MARGIN,
        Inches(0.3),
        _("Données : {version}.").format(version=briefing.version),
        11,
        color=MUTED,
    )


def _figures(slide, briefing: Briefing, top) -> None:
    count = len(briefing.figures)
    gap = Inches(0.2)
    width = int((WIDTH - 2 * MARGIN - gap * (count - 1)) / count)
    for index, figure in enumerate(briefing.figures):
        left = MARGIN + index * (width + gap)
        card = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, width, Inches(1.25))
        card.adjustments[0] = 0.08
        card.fill.solid()
        card.fill.fore_color.rgb = RGBColor(0xF4, 0xF6, 0xF9)
        card.line.color.rgb = RULE
        card.name = _("Chiffre clé : {label}").format(label=figure.label)
        # The change alone: the line under the cards says against which period.
        change = figure.change or "–"
        frame = card.text_frame
        frame.word_wrap = True
        _write(frame, f"{figure.label}\n{_number(figure.value)}\n{change}", 12, color=MUTED)
        value, change = frame.paragraphs[1].runs[0].font, frame.paragraphs[2].runs[0].font
        value.size, value.bold, value.color.rgb = Pt(26), True, INK
        change.size = Pt(12)
        _style(frame, align=PP_ALIGN.LEFT)
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        frame.margin_left = frame.margin_right = Inches(0.15)
    _text(slide, MARGIN, top + Inches(1.3), WIDTH - 2 * MARGIN, Inches(0.3), briefing.comparison, 10, color=MUTED)


def _map(slide, briefing: Briefing) -> None:
    zone = f" – {_(briefing.map.zone)}" if briefing.map.zone else ""
    _heading(slide, _("Où agit l'armée de Terre") + zone, briefing)
    height = CONTENT_BOTTOM - CONTENT_TOP
    width = int(height * 11.0 / 5.6)
    picture = slide.shapes.add_picture(
        io.BytesIO(worldmap.png(briefing.map)), int((WIDTH - width) / 2), CONTENT_TOP, width, height
    )
    picture.name = _("Carte des partenaires")


def _per_year(slide, briefing: Briefing) -> None:
    _heading(slide, briefing.per_year.title, briefing)
    _chart(slide, briefing.per_year, MARGIN, CONTENT_TOP, WIDTH - 2 * MARGIN, CONTENT_BOTTOM - CONTENT_TOP)


def _leading(slide, briefing: Briefing) -> None:
    chart = briefing.leading
    assert chart is not None, "the world briefing names the leading partners"
    _heading(slide, chart.title, briefing)
    _chart(slide, chart, MARGIN, CONTENT_TOP, WIDTH - 2 * MARGIN, CONTENT_BOTTOM - CONTENT_TOP - Inches(0.35))
    # The colour of each bar is its region: the key on one line, a coloured square before each name.
    key = _text(slide, MARGIN, CONTENT_BOTTOM - Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.3), "", 11)
    paragraph = key.text_frame.paragraphs[0]
    for name, color in chart.key:
        square = paragraph.add_run()
        square.text, square.font.size, square.font.color.rgb = "■ ", Pt(13), _rgb(color)
        words = paragraph.add_run()
        words.text, words.font.size, words.font.color.rgb = f"{name}    ", Pt(11), INK
    if chart.note:
        words = paragraph.add_run()
        words.text, words.font.size, words.font.color.rgb = f"  {chart.note}", Pt(10), MUTED


def _per_year_and_modes(slide, briefing: Briefing) -> None:
    _heading(slide, _("Actions par année et par mode d'action"), briefing)
    height = CONTENT_BOTTOM - CONTENT_TOP
    left_width = int((WIDTH - 2 * MARGIN) * 0.6)
    assert briefing.modes is not None, "a country's briefing has its modes"
    _chart(slide, briefing.per_year, MARGIN, CONTENT_TOP, left_width, height)
    _chart(slide, briefing.modes, MARGIN + left_width, CONTENT_TOP, WIDTH - 2 * MARGIN - left_width, height)


def _functions_and_programmes(slide, briefing: Briefing) -> None:
    grid, programmes = briefing.functions, briefing.programmes
    assert grid is not None and programmes is not None, "a country's briefing has its functions and programmes"
    _heading(slide, _("Fonctions, facteurs et programmes"), briefing)
    _text(slide, MARGIN, CONTENT_TOP, Inches(10), Inches(0.3), grid.title, 13, bold=True)
    _grid(slide, grid, MARGIN, CONTENT_TOP + Inches(0.35), WIDTH - 2 * MARGIN)
    _text(slide, MARGIN, CONTENT_TOP + Inches(2.95), WIDTH - 2 * MARGIN, Inches(0.3), grid.note, 10, color=MUTED)
    top = CONTENT_TOP + Inches(3.4)
    _text(slide, MARGIN, top, Inches(6), Inches(0.3), programmes.title, 13, bold=True)
    if programmes.rows:
        shown = Table(programmes.title, programmes.columns, programmes.rows[:6])
        _table(slide, shown, MARGIN, top + Inches(0.35), Inches(8), widths=(4.4, 1.2, 1.2, 1.2), size=11)
        if len(programmes.rows) > 6:
            _note(
                slide,
                _("{count} programmes sur {total}, les plus fournis en actions.").format(
                    count=i18n.number(6), total=i18n.number(len(programmes.rows))
                ),
            )
    else:
        _text(slide, MARGIN, top + Inches(0.35), Inches(8), Inches(0.3), programmes.empty, 11, color=MUTED)


def _meetings(slide, briefing: Briefing) -> None:
    table = briefing.meetings
    _heading(slide, table.title, briefing)
    _text(slide, MARGIN, CONTENT_TOP - Inches(0.05), Inches(8), Inches(0.3), table.note, 11, color=MUTED)
    if not table.rows:
        _text(slide, MARGIN, CONTENT_TOP + Inches(0.4), Inches(10), Inches(0.4), table.empty, 14)
        return
    shown = Table(table.title, table.columns, table.rows[:MEETING_ROWS])
    _table(slide, shown, MARGIN, CONTENT_TOP + Inches(0.35), WIDTH - 2 * MARGIN, widths=(2.7, 5.3, 2.2, 2.2))
    if len(table.rows) > MEETING_ROWS:
        _note(
            slide,
            _("Les {count} premières sur {total} ; la page Rencontres les donne toutes.").format(
                count=i18n.number(MEETING_ROWS), total=i18n.number(len(table.rows))
            ),
        )


def _note(slide, text: str) -> None:
    _text(slide, MARGIN, CONTENT_BOTTOM - Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.3), text, 10, color=MUTED)


# ---- charts and tables -------------------------------------------------------------------------------

_KINDS = {
    "stacked_bars": XL_CHART_TYPE.COLUMN_STACKED,
    "bars": XL_CHART_TYPE.BAR_CLUSTERED,
    "doughnut": XL_CHART_TYPE.DOUGHNUT,
}


def _chart(slide, chart: Chart, left, top, width, height) -> None:
    """A native chart: its data stays editable in PowerPoint."""
    if not chart.series:
        _text(slide, left, top, width, Inches(0.4), _("Aucune donnée pour cette sélection."), 14, color=MUTED)
        return
    data = CategoryChartData(number_format=NUMBER_FORMATS[i18n.language()])
    # Horizontal bars are drawn bottom up: the largest is given last so that it stands at the top.
    reverse = chart.kind == "bars"
    data.categories = chart.categories[::-1] if reverse else chart.categories
    for series in chart.series:
        data.add_series(series.name, series.values[::-1] if reverse else series.values)
    frame = slide.shapes.add_chart(_KINDS[chart.kind], left, top, width, height, data)
    frame.name = chart.title
    graph = frame.chart
    graph.font.size = Pt(12)
    graph.font.color.rgb = INK
    graph.has_title = chart.kind == "doughnut"
    if graph.has_title:
        graph.chart_title.text_frame.text = chart.title
        _style(graph.chart_title.text_frame, bold=True)
    plot = graph.plots[0]
    if chart.kind == "stacked_bars":
        plot.gap_width = 60
        graph.has_legend = True
        graph.legend.position = XL_LEGEND_POSITION.BOTTOM
        graph.legend.include_in_layout = False
        graph.value_axis.has_major_gridlines = True
        graph.value_axis.major_gridlines.format.line.color.rgb = RULE
        graph.value_axis.tick_labels.number_format = NUMBER_FORMATS[i18n.language()]
        graph.value_axis.tick_labels.number_format_is_linked = False
        graph.value_axis.has_title = True
        graph.value_axis.axis_title.text_frame.text = _(chart.value_name)
        for series, spec in zip(plot.series, chart.series, strict=True):
            _fill(series.format, spec.color)
    elif chart.kind == "bars":
        plot.gap_width = 40
        graph.has_legend = False
        graph.value_axis.visible = False
        graph.value_axis.has_major_gridlines = False
        plot.has_data_labels = True
        plot.data_labels.number_format = NUMBER_FORMATS[i18n.language()]
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
        colors = chart.colors[::-1]
        for point, color in zip(plot.series[0].points, colors, strict=False):
            _fill(point.format, color)
    else:
        graph.has_legend = True
        graph.legend.position = XL_LEGEND_POSITION.BOTTOM
        graph.legend.include_in_layout = False
        plot.has_data_labels = True
        plot.data_labels.show_percentage = True
        plot.data_labels.show_value = False
        plot.data_labels.number_format = PERCENT_FORMATS[i18n.language()]
        plot.data_labels.number_format_is_linked = False
        for point, color in zip(plot.series[0].points, chart.colors, strict=False):
            _fill(point.format, color)


def _fill(fmt, color: str | None) -> None:
    if color:
        fmt.fill.solid()
        fmt.fill.fore_color.rgb = _rgb(color)


def _table(slide, table: Table, left, top, width, *, widths: tuple[float, ...], size: int = 12, header=True) -> None:
    rows = len(table.rows) + (1 if header else 0)
    shape = slide.shapes.add_table(rows, len(table.columns), left, top, width, Inches(0.32) * rows)
    shape.name = table.title
    grid = shape.table
    grid.first_row = header
    scale = width / sum(widths)
    for column, share in zip(grid.columns, widths, strict=True):
        column.width = int(share * scale)
    lines = ([table.columns] if header else []) + list(table.rows)
    for r, values in enumerate(lines):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            first = header and r == 0
            cell.fill.solid()
            cell.fill.fore_color.rgb = HEADER if first else (RGBColor(0xF4, 0xF6, 0xF9) if r % 2 else _WHITE)
            _write(
                cell.text_frame, str(value), size, bold=first or (not header and c == 0), color=_WHITE if first else INK
            )


_WHITE = RGBColor(0xFF, 0xFF, 0xFF)


def _grid(slide, grid: Grid, left, top, width) -> None:
    """Function × factor as a table whose cells are shaded by their count, as the page's heat map."""
    shape = slide.shapes.add_table(len(grid.rows) + 1, len(grid.columns) + 1, left, top, width, Inches(2.1))
    shape.name = grid.title
    table = shape.table
    table.columns[0].width = Inches(2.0)
    rest = int((width - Inches(2.0)) / len(grid.columns))
    for column in list(table.columns)[1:]:
        column.width = rest
    top_value = max((v for row in grid.values for v in row), default=0) or 1
    for c, name in enumerate(grid.columns, start=1):
        _cell(table.cell(0, c), name, HEADER, _WHITE, 9, bold=True, center=True)
    _cell(table.cell(0, 0), _("Fonction \\ facteur"), HEADER, _WHITE, 9, bold=True)
    for r, (name, values) in enumerate(zip(grid.rows, grid.values, strict=True), start=1):
        _cell(table.cell(r, 0), name, _WHITE, INK, 11, bold=True)
        for c, value in enumerate(values, start=1):
            shade = _shade(value / top_value)
            text_color = _WHITE if value / top_value > 0.55 else INK
            _cell(table.cell(r, c), _number(value), shade, text_color, 12, center=True)


def _cell(cell, text: str, fill: RGBColor, color: RGBColor, size: int, *, bold=False, center=False) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = fill
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    # Narrow side margins: "Compréhension" must hold on one line of its column.
    cell.margin_left = cell.margin_right = Inches(0.04)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    _write(cell.text_frame, text, size, bold=bold, color=color, center=center)


def _shade(share: float) -> RGBColor:
    """The colour of the map's scale at `share` (0 to 1)."""
    red, green, blue, _alpha = worldmap.COLORMAP(share)
    return RGBColor(int(red * 255), int(green * 255), int(blue * 255))


def _number(value: float) -> str:
    return i18n.number(value)
