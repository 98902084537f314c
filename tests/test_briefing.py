"""The "Point de situation" against counts made by hand on seven actions and four meetings, read back from
the PowerPoint file (python-pptx) and the PDF (pypdfium2) a commander downloads.

    id  start       country  mode          function      factors                  programme
    P1  2023-03-01  SEN      formation     prévention    coopération, influence   —
    P2  2023-06-01  SEN      conseil       prévention    compréhension            —
    P3  2024-02-01  SEN      formation     intervention  masse                    Sahel
    P4  2024-03-01  BEL      entraînement  protection    coopération              CaMo
    P5  2024-09-01  BEL      entraînement  prévention    influence, masse         CaMo
    P6  2024-11-01  CIV      conseil       prévention    compréhension            —
    P7  2021-05-01  BEL      conseil       protection    coopération              CaMo
    P8  2027-01-10  SEN      formation     prévention    masse                    —          planned, not realised

SEN and CIV are in Afrique, BEL in Europe. The brief is generated on 1 December 2026; meetings:
M1 in 10 days in Brussels, M2 in 30 days in Paris with Senegal, M3 in 200 days in Dakar, M4 last month.
"""

import dataclasses
import datetime as dt
import io
import itertools
import os
import re
import subprocess
from pathlib import Path

import pyarrow as pa
import pypdfium2
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from dashboard import freshness, i18n, query
from dashboard.briefing import model, pdf, slides
from dashboard.query import Filters
from dashboard.schema import ACTIONS, MEETINGS
from tests.documents import slide_text

D = dt.date
SOFFICE = "/usr/bin/soffice"
NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
TODAY = D(2026, 12, 1)
YEARS_2023_2024 = Filters(start=D(2023, 1, 1), end=D(2024, 12, 31))
YEAR_2024 = Filters(start=D(2024, 1, 1), end=D(2024, 12, 31))


def _action(action_id, start, country, mode, function, factors, programme=None, status="réalisée"):
    return {
        "action_id": action_id,
        "title": f"Action {action_id}",
        "start_date": start,
        "end_date": start + dt.timedelta(days=4),
        "country_iso3": country,
        "mode": mode,
        "strategic_function": function,
        "superiority_factors": factors,
        "pillar": "coopérer",
        "framework": "bilatéral",
        "opex": False,
        "force": "régiments de métropole",
        "unit": None,
        "french_personnel": 10,
        "partner_trainees": 20,
        "programme": programme,
        "description": None,
        "status": status,
    }


def _meeting(meeting_id, days, city, country, partners=()):
    start = TODAY + dt.timedelta(days=days)
    return {
        "meeting_id": meeting_id,
        "title": f"Rencontre {meeting_id}",
        "start_date": start,
        "end_date": start + dt.timedelta(days=1),
        "kind": "entretiens d'état-major",
        "body": "BRI",
        "level": "état-major",
        "format": "présentiel",
        "city": city,
        "country_iso3": country,
        "partner_countries": list(partners),
        "participants": None,
        "topics": [],
        "summary": None,
    }


ACTION_ROWS = [
    _action("P1", D(2023, 3, 1), "SEN", "formation", "prévention", ["coopération", "influence"]),
    _action("P2", D(2023, 6, 1), "SEN", "conseil", "prévention", ["compréhension"]),
    _action("P3", D(2024, 2, 1), "SEN", "formation", "intervention", ["masse"], "Sahel"),
    _action("P4", D(2024, 3, 1), "BEL", "entraînement", "protection", ["coopération"], "CaMo"),
    _action("P5", D(2024, 9, 1), "BEL", "entraînement", "prévention", ["influence", "masse"], "CaMo"),
    _action("P6", D(2024, 11, 1), "CIV", "conseil", "prévention", ["compréhension"]),
    _action("P7", D(2021, 5, 1), "BEL", "conseil", "protection", ["coopération"], "CaMo"),
    _action("P8", D(2027, 1, 10), "SEN", "formation", "prévention", ["masse"], status="prévue"),
]
MEETING_ROWS = [
    _meeting("M1", 10, "Bruxelles", "BEL"),
    _meeting("M2", 30, "Paris", "FRA", ["SEN"]),
    _meeting("M3", 200, "Dakar", "SEN"),
    _meeting("M4", -30, "Abidjan", "CIV"),
]
VERSION = freshness.DataVersion(
    freshness.TableVersion("actions", 12, dt.datetime(2026, 11, 21, 14, 0, tzinfo=dt.UTC)),
    freshness.TableVersion("meetings", 3, dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)),
    demo=True,
)


@pytest.fixture(scope="module")
def tables() -> tuple[pa.Table, pa.Table]:
    actions = query.prepare_actions(pa.Table.from_pylist(ACTION_ROWS, schema=ACTIONS.arrow_schema()))
    meetings = pa.Table.from_pylist(MEETING_ROWS, schema=MEETINGS.arrow_schema())
    return actions, meetings


def _brief(tables, filters: Filters) -> model.Briefing:
    return model.build(*tables, filters, version=VERSION, user="cne.martin", now=NOW)


# ---- the model -------------------------------------------------------------------------------------


def test_the_overview_brief_counts_what_was_counted_by_hand(tables):
    brief = _brief(tables, YEAR_2024)
    assert brief.title == "Point de situation" and brief.country is None and not brief.empty
    figures = {f.label: (f.value, f.previous, f.change) for f in brief.figures}
    # 2024: P3-P6 in three countries; 2023: P1, P2 in Senegal only.
    assert figures["Actions réalisées"] == (4, 2, "+100,0 %")
    assert figures["Pays partenaires"] == (3, 1, "+200,0 %")
    assert figures["Journées-personnel"] == (200, 100, "+100,0 %")
    assert brief.per_year.categories == ("2024",)
    assert {s.name: s.values for s in brief.per_year.series} == {
        "Conseil": (1,),
        "Formation": (1,),
        "Entraînement": (2,),
    }
    assert brief.leading.categories == ("Belgique", "Côte d'Ivoire", "Sénégal")
    assert brief.leading.series[0].values == (2, 1, 1)
    assert [name for name, _ in brief.leading.key] == ["Afrique", "Europe"]
    assert brief.map.values == {"BEL": 2, "CIV": 1, "SEN": 1} and brief.map.zone is None


def test_actions_per_year_give_every_year_of_the_span_even_an_empty_one(tables):
    brief = _brief(tables, Filters())
    # The planned action P8 is counted apart, not among the actions of each year.
    assert [(f.label, f.value) for f in brief.figures][::4] == [("Actions réalisées", 7), ("Actions prévues", 1)]
    assert brief.per_year.categories == ("2021", "2022", "2023", "2024")
    assert {s.name: s.values for s in brief.per_year.series} == {
        "Conseil": (1, 0, 1, 1),
        "Formation": (0, 0, 1, 1),
        "Entraînement": (0, 0, 0, 2),
    }
    assert brief.comparison.startswith("Sans période bornée")


def test_a_country_brief_gives_its_modes_functions_by_factor_and_programmes(tables):
    brief = _brief(tables, Filters(countries=("BEL",)))
    assert brief.title == "Point de situation – Belgique" and brief.leading is None
    assert dict(zip(brief.modes.categories, brief.modes.series[0].values, strict=True)) == {
        "Conseil": 1,
        "Entraînement": 2,
    }
    grid = {
        (row, column): value
        for row, values in zip(brief.functions.rows, brief.functions.values, strict=True)
        for column, value in zip(brief.functions.columns, values, strict=True)
    }
    assert grid[("Protection", "Coopération")] == 2  # P4, P7
    assert grid[("Prévention", "Influence")] == grid[("Prévention", "Masse")] == 1  # P5
    assert sum(grid.values()) == 4
    assert brief.programmes.rows == (("CaMo", "3", "2021", "2024"),)
    assert brief.map.zone == "Europe" and brief.map.highlight == "BEL"


def test_meetings_of_the_next_90_days_with_the_selected_countries(tables):
    everything = _brief(tables, Filters())
    assert [row[1] for row in everything.meetings.rows] == ["Rencontre M1", "Rencontre M2"]
    assert everything.meetings.rows[0][3] == "Bruxelles, Belgique"
    # Senegal attends M2 in Paris; M3 is beyond 90 days.
    assert [row[1] for row in _brief(tables, Filters(countries=("SEN",))).meetings.rows] == ["Rencontre M2"]
    assert _brief(tables, Filters(regions=("Europe",))).meetings.rows[0][1] == "Rencontre M1"


def test_an_empty_selection_gives_a_brief_that_says_so(tables):
    brief = _brief(tables, Filters(countries=("BEL",), start=D(2030, 1, 1), end=D(2030, 12, 31)))
    assert brief.empty
    assert brief.figures[0].value == 0
    assert brief.per_year.series == ()


def test_the_footer_names_the_day_the_user_and_the_data_version(tables):
    brief = _brief(tables, Filters())
    assert brief.footer == (
        "Généré le 1 déc. 2026 à 10:30 par cne.martin · données au 21 nov. 2026, version 12 "
        "(rencontres : version 3) – données fictives"
    )
    assert model.file_stem(Filters(countries=("BEL",)), TODAY) == "point-de-situation-BEL-2026-12-01"


# ---- the PowerPoint file -------------------------------------------------------------------------------


def _charts(slide) -> list:
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def test_the_powerpoint_has_native_charts_holding_the_hand_counts(tables, monkeypatch):
    monkeypatch.setenv("PMO_MARKING", "DIFFUSION RESTREINTE")
    deck = Presentation(io.BytesIO(slides.pptx_bytes(_brief(tables, YEARS_2023_2024))))
    assert len(deck.slides) == 5
    charts = [chart for slide in deck.slides for chart in _charts(slide)]
    per_year, leading = charts
    assert per_year.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    assert list(per_year.plots[0].categories) == ["2023", "2024"]
    assert {s.name: tuple(s.values) for s in per_year.series} == {
        "Conseil": (1.0, 1.0),
        "Formation": (1.0, 1.0),
        "Entraînement": (0.0, 2.0),
    }
    assert leading.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    # Drawn bottom up: the leading partner is the last category, at the top of the chart.
    counts = dict(zip(leading.plots[0].categories, leading.series[0].values, strict=True))
    assert counts == {"Sénégal": 3.0, "Belgique": 2.0, "Côte d'Ivoire": 1.0}
    assert list(leading.plots[0].categories)[-1] == "Sénégal"
    pictures = [shape for shape in deck.slides[1].shapes if shape.shape_type == 13]  # the map
    assert len(pictures) == 1
    for slide in deck.slides:
        text = slide_text(slide)
        assert text.count("DIFFUSION RESTREINTE") == 2  # top and bottom
        assert "DONNÉES FICTIVES" in text
        assert "Généré le 1 déc. 2026 à 10:30 par cne.martin" in text
        assert "du 1 janv. 2023 au 31 déc. 2024" in text


def test_the_powerpoint_names_every_filter_of_the_selection(tables):
    filters = YEAR_2024.change(regions=("Afrique",), modes=("conseil", "formation"), opex=False)
    deck = Presentation(io.BytesIO(slides.pptx_bytes(_brief(tables, filters))))
    first = slide_text(deck.slides[0])
    for words in ("Période", "du 1 janv. 2024 au 31 déc. 2024", "Régions", "Afrique", "Modes d'action",
                  "Conseil, Formation", "OPEX", "hors OPEX"):  # fmt: skip
        assert words in first
    for slide in list(deck.slides)[1:]:
        assert "Régions : Afrique · Modes d'action : Conseil, Formation · hors OPEX" in slide_text(slide)
    assert "conseil" not in first.replace("Conseil", "")  # no raw code


def test_a_country_powerpoint_has_its_modes_as_a_doughnut_and_its_grid(tables):
    deck = Presentation(io.BytesIO(slides.pptx_bytes(_brief(tables, Filters(countries=("BEL",))))))
    assert len(deck.slides) == 5
    charts = [chart for slide in deck.slides for chart in _charts(slide)]
    doughnut = next(c for c in charts if c.chart_type == XL_CHART_TYPE.DOUGHNUT)
    assert dict(zip(doughnut.plots[0].categories, doughnut.series[0].values, strict=True)) == {
        "Conseil": 1.0,
        "Entraînement": 2.0,
    }
    grid = slide_text(deck.slides[3])
    assert "Performance du commandement" in grid and "CaMo" in grid


def _rendered(deck: bytes, folder: Path) -> list[str]:
    """Each slide's text as LibreOffice Impress draws it, run in English (its numbers follow its language
    unless the file says otherwise)."""
    folder.mkdir()
    (folder / "brief.pptx").write_bytes(deck)
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "HOME": str(folder)}
    profile = f"-env:UserInstallation={(folder / 'profile').as_uri()}"  # not another LibreOffice's
    subprocess.run(
        [SOFFICE, profile, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(folder / "brief.pptx")],
        check=True,
        capture_output=True,
        env=env,
        timeout=180,
    )
    spaces = str.maketrans({"\u00a0": " ", "\u202f": " "})
    return [
        page.get_textpage().get_text_range().translate(spaces) for page in pypdfium2.PdfDocument(folder / "brief.pdf")
    ]


def test_the_powerpoint_charts_write_french_numbers_in_an_english_office_suite(tables, tmp_path):
    assert Path(SOFFICE).exists(), "LibreOffice is missing: scripts/test.sh installs it (libreoffice-impress-nogui)"
    overview = _brief(tables, YEARS_2023_2024)
    assert overview.leading is not None
    # Counts in the thousands: the axis of the actions per year and the labels of the leading partners.
    big = dataclasses.replace(
        overview,
        per_year=dataclasses.replace(overview.per_year, series=(model.Series("Conseil", (1234, 2345)),)),
        leading=dataclasses.replace(overview.leading, series=(model.Series("Actions", (4567, 1234, 12)),)),
    )
    slides_text = _rendered(slides.pptx_bytes(big), tmp_path / "overview")
    per_year, leading = slides_text[2], slides_text[3]
    assert "2 000" in per_year and "4 567" in leading and "1 234" in leading
    assert not re.search(r"\d,\d{3}", per_year + leading)  # 1,234 is English
    country = _rendered(slides.pptx_bytes(_brief(tables, Filters(countries=("BEL",)))), tmp_path / "country")
    assert "33 %" in country[2] and "67 %" in country[2]  # the modes' doughnut


def test_an_empty_powerpoint_says_so(tables):
    deck = Presentation(io.BytesIO(slides.pptx_bytes(_brief(tables, Filters(start=D(2030, 1, 1), end=D(2030, 2, 1))))))
    assert len(deck.slides) == 2
    assert "Aucune action ne correspond à cette sélection." in slide_text(deck.slides[0])
    assert not any(_charts(slide) for slide in deck.slides)


# ---- the PDF -------------------------------------------------------------------------------------------


def _pages(data: bytes) -> list[tuple[str, object]]:
    """Each page's text layer and its rendering as a picture."""
    document = pypdfium2.PdfDocument(data)
    return [(page.get_textpage().get_text_range(), page.render(scale=1).to_pil()) for page in document]


@pytest.mark.parametrize("filters", [YEARS_2023_2024, Filters(countries=("BEL",))], ids=["overview", "country"])
def test_the_pdf_is_two_a4_landscape_pages_each_marked_and_naming_the_selection(tables, monkeypatch, filters):
    monkeypatch.setenv("PMO_MARKING", "DIFFUSION RESTREINTE")
    brief = _brief(tables, filters)
    pages = _pages(pdf.pdf_bytes(brief))
    assert len(pages) == 2
    for text, picture in pages:
        assert picture.width > picture.height and abs(picture.width / picture.height - 297 / 210) < 0.01
        assert text.count("DIFFUSION RESTREINTE") == 2
        assert f"Sélection : {brief.selection_line}" in text.replace("\r\n", " ")
        assert "DONNÉES FICTIVES" in text and "par cne.martin" in text
        # Not a blank page: the picture holds more than the two bands.
        assert len(picture.convert("L").getcolors(1 << 16) or []) > 20
    first, second = pages[0][0], pages[1][0]
    assert "Actions par année et par mode" in first and "données au 21 nov. 2026, version 12" in first
    assert "Rencontres des 90 prochains jours" in second and "Rencontre M1" in second
    if brief.country:
        assert "CaMo" in second and "Performance" in second
    else:
        assert "Principaux pays partenaires" in second and "Côte d'Ivoire" in second


def test_an_empty_pdf_is_one_page_that_says_so(tables):
    pages = _pages(pdf.pdf_bytes(_brief(tables, Filters(start=D(2030, 1, 1), end=D(2030, 2, 1)))))
    assert len(pages) == 1
    assert "Aucune action ne correspond à cette sélection." in pages[0][0]


def _span(text, words: str) -> tuple[float, float]:
    """Where `words` start and end across the page, in points, where they are first written."""
    start, count = text.search(words, match_case=True, match_whole_word=True).get_next()
    boxes = [text.get_charbox(i) for i in range(start, start + count)]
    return min(box[0] for box in boxes), max(box[2] for box in boxes)


def test_the_pdf_modes_key_stays_clear_of_the_grid(tables):
    # « Accompagnement au combat : 10 % » on one line ran into the grid's row headings.
    brief = _brief(tables, Filters(countries=("BEL",)))
    assert brief.modes is not None and brief.functions is not None
    modes = dataclasses.replace(
        brief.modes,
        categories=(*brief.modes.categories, "Accompagnement au combat"),
        series=(model.Series("Actions", (*brief.modes.series[0].values, 1)),),
        colors=(*brief.modes.colors, "#b03a48"),
    )
    text = pypdfium2.PdfDocument(pdf.pdf_bytes(dataclasses.replace(brief, modes=modes)))[1].get_textpage()
    key = max(_span(text, word)[1] for word in ("Conseil", "Entraînement", "Accompagnement", "combat"))
    grid = min(_span(text, row.split()[0])[0] for row in brief.functions.rows)
    assert key + 5.6 <= grid  # 2 mm apart


def test_the_pdf_grid_headings_stand_apart(tables):
    # Side by side, « Compréhension » and « Coopération » touched.
    brief = _brief(tables, Filters(countries=("BEL",)))
    assert brief.functions is not None
    text = pypdfium2.PdfDocument(pdf.pdf_bytes(brief))[1].get_textpage()

    # The headings written on one line (a longer one wraps); 2 mm are 5.67 points.
    headings = [heading for heading in brief.functions.columns if len(heading) <= 13]
    assert "Compréhension" in headings and "Coopération" in headings
    columns = list(brief.functions.columns)
    for left, right in itertools.pairwise(headings):
        if columns.index(right) == columns.index(left) + 1:
            assert _span(text, right)[0] - _span(text, left)[1] >= 5.6, (left, right)


# ---- in English -----------------------------------------------------------------------------------------


def _french_words() -> list[str]:
    """French words of the briefing that English writes otherwise."""
    return [
        "Point de situation",
        "Sélection",
        "Généré le",
        "DONNÉES FICTIVES",
        "Actions réalisées",
        "Journées-personnel",
        "Rencontres des",
        "période précédente",
        "Principaux pays",
        "données au",
        "Fonction stratégique",
        "Sénégal",
        "Belgique",
        "Afrique",
        "déc.",
    ]


@pytest.mark.parametrize("filters", [YEARS_2023_2024, Filters(countries=("BEL",))], ids=["overview", "country"])
def test_in_english_the_slides_and_the_pdf_read_in_english(tables, english, filters):
    """Titles, labels, the selection in words, dates and numbers in English, in both files, read back."""
    brief = _brief(tables, filters)
    i18n.use("fr")  # the files are written in the briefing's language, whatever the language of the writer's run
    deck = Presentation(io.BytesIO(slides.pptx_bytes(brief)))
    shown = "\n".join(slide_text(slide) for slide in deck.slides)
    text = " ".join(page for page, _picture in _pages(pdf.pdf_bytes(brief))).replace("\r\n", " ")
    for words in (shown, text):
        assert "Situation briefing" in words and "FICTIONAL DATA" in words
        assert "Generated on 1 Dec 2026 at 10:30 by cne.martin · data as of 21 Nov 2026, version 12" in words
        assert "Meetings in the next 90 days" in words and "From 1 Dec 2026 to 1 Mar 2027." in words
        left = [french for french in _french_words() if french in words]
        assert left == [], left
    if brief.country:
        assert "Situation briefing – Belgium" in shown and "Partner countries: Belgium" in shown
        assert "Functions, factors and programmes" in shown and "Command performance" in shown
        assert "Strategic function × superiority factor" in text and "Exercising: " in text
    else:
        assert "Selection: from 1 Jan 2023 to 31 Dec 2024" in text
        assert "Period\nfrom 1 Jan 2023 to 31 Dec 2024" in shown
        assert "Leading partner countries" in shown and "Senegal" in text and "Africa" in text
        assert "Completed actions" in text and "Change against the previous period" in text
    # The charts' numbers as English writes them (1,234), whatever the office suite's language.
    charts = [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    bars = [chart for chart in charts if chart.chart_type == XL_CHART_TYPE.COLUMN_STACKED]
    assert bars and bars[0].value_axis.tick_labels.number_format == "[$-809]#,##0"
    with i18n.using("en"):
        assert model.file_stem(filters, TODAY).startswith("situation-briefing-")


def test_the_download_menu_builds_its_files_in_the_language_of_the_page(tables):
    """The files are built later, in a worker thread whose language is French: bound to the page's language."""
    with i18n.using("en"):
        build = i18n.bound(lambda: _brief(tables, YEARS_2023_2024).title)
    assert build() == "Situation briefing"
    assert i18n.language() == "fr"
