"""The data contract and the taxonomies: one place, complete, consistent."""

import pyarrow as pa
import pytest

from dashboard import schema
from dashboard.schema import ACTIONS, MEETINGS, SUPERIORITY_FACTORS, TAXONOMIES


def test_actions_table_holds_every_column_of_the_contract_with_its_type():
    types = {f.name: f.type for f in ACTIONS.arrow_schema()}
    assert types == {
        "action_id": pa.string(),
        "title": pa.string(),
        "start_date": pa.date32(),
        "end_date": pa.date32(),
        "country_iso3": pa.string(),
        "mode": pa.string(),
        "strategic_function": pa.string(),
        "superiority_factors": pa.list_(pa.string()),
        "pillar": pa.string(),
        "framework": pa.string(),
        "opex": pa.bool_(),
        "force": pa.string(),
        "unit": pa.string(),
        "french_personnel": pa.int64(),
        "partner_trainees": pa.int64(),
        "programme": pa.string(),
        "description": pa.string(),
        "status": pa.string(),
        "objective": pa.string(),
        "assessment": pa.string(),
        "assessment_note": pa.string(),
        "cancellation_reason": pa.string(),
    }
    assert ACTIONS.key == "action_id"
    required = {c.name for c in ACTIONS.columns if c.required}
    assert {"pillar", "unit", "french_personnel", "partner_trainees", "programme", "description"}.isdisjoint(required)
    assert {"objective", "assessment", "assessment_note", "cancellation_reason"}.isdisjoint(required)
    assert ACTIONS.column("status").taxonomy.codes == ("prévue", "réalisée", "annulée", "reportée")
    assert ACTIONS.column("assessment").taxonomy.codes == ("non atteint", "partiellement atteint", "atteint", "dépassé")
    assert MEETINGS.column("status").taxonomy.codes == ("prévue", "tenue", "annulée")


def test_meetings_table_follows_the_contract():
    assert MEETINGS.key == "meeting_id"
    assert MEETINGS.column("partner_countries").arrow_type == pa.list_(pa.string())
    assert MEETINGS.column("topics").arrow_type == pa.list_(pa.string())
    assert MEETINGS.column("kind").taxonomy.codes == (
        "réunion OTAN",
        "réunion UE",
        "entretiens d'état-major",
        "rencontre de haut niveau",
        "exercice",
        "jalon de programme",
    )


def test_the_four_taxonomies_of_the_design_with_french_and_english_labels():
    assert schema.STRATEGIC_FUNCTIONS.codes == (
        "prévention",
        "intervention",
        "connaissance et anticipation",
        "protection",
    )
    assert set(SUPERIORITY_FACTORS.codes) == {
        "compréhension",
        "coopération",
        "agilité",
        "masse",
        "endurance",
        "force morale",
        "influence",
        "performance du commandement",
    }
    assert schema.MODES.codes == ("conseil", "formation", "entraînement", "accompagnement au combat")
    assert schema.PILLARS.codes == ("coopérer", "former", "soutenir les exportations", "rencontres stratégiques")
    assert SUPERIORITY_FACTORS.label("performance du commandement", "en") == "Command performance"
    assert schema.MODES.label("accompagnement au combat") == "Accompagnement au combat"


@pytest.mark.parametrize("taxonomy", TAXONOMIES, ids=lambda t: t.name)
def test_every_category_has_a_definition_and_its_own_colour(taxonomy):
    for category in taxonomy.categories:
        assert len(category.definition) > 20, category.code
        assert category.en
        assert category.color.startswith("#") and len(category.color) == 7
    colors = [c.color for c in taxonomy.categories]
    assert len(set(colors)) == len(colors)


def test_unknown_category_is_refused_with_a_french_message():
    with pytest.raises(KeyError, match="n'appartient pas"):
        schema.MODES.get("parachutage")


def test_data_dictionary_documents_every_column_and_derived_value():
    for spec in (ACTIONS, MEETINGS):
        rows = schema.dictionary(spec)
        documented = {r["Colonne"] for r in rows}
        assert set(spec.names) | set(spec.derived) == documented
        assert all(r["Règle et sens"] for r in rows)
    mode_row = next(r for r in schema.dictionary(ACTIONS) if r["Colonne"] == "mode")
    assert "accompagnement au combat" in mode_row["Règle et sens"]


def test_glossary_gives_label_translation_and_definition():
    rows = schema.glossary(schema.STRATEGIC_FUNCTIONS)
    assert rows[2]["Libellé"] == "Connaissance et anticipation"
    assert rows[2]["English"] == "knowledge and anticipation"
    assert "anticiper" in rows[2]["Définition"]


def test_in_english_the_glossary_and_the_dictionary_read_in_english():
    from dashboard import i18n

    with i18n.using("en"):
        modes = schema.glossary(schema.MODES)
        rows = {row["Column"]: row for row in schema.dictionary(ACTIONS)}
    assert modes[0] == {
        "Label": "Advising",
        "Definition": "Advise partner staffs and units.",
        "Colour": schema.MODES.categories[0].color,
    }
    # The column's French header stays: it is what a file writes.
    assert rows["opex"]["French header"] == "opex" and rows["opex"]["Type"] == "yes/no"
    assert rows["status"]["Required"] == "advised" and rows["unit"]["Required"] == "no"
    assert rows["status"]["Rule and meaning"].startswith("Status of the action;")
    assert "When a file lacks it: derived from the dates" in rows["status"]["Rule and meaning"]
    assert rows["year"]["Type"] == "computed" and rows["year"]["Rule and meaning"] == "Year of the start date."


def test_the_functions_and_factors_are_defined_in_english_too():
    for taxonomy in (schema.STRATEGIC_FUNCTIONS, SUPERIORITY_FACTORS):
        for category in taxonomy.categories:
            english = taxonomy.definition(category.code, "en")
            assert english and english != category.definition, category.code
            assert taxonomy.definition(category.code, "fr") == category.definition
    assert SUPERIORITY_FACTORS.definition("agilité", "en").startswith("Adapt quickly")
