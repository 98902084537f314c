"""The data contract: tables, columns, types, rules and the four taxonomies.

Everything that names a column, a category, a label or a category colour reads
this module: the store, the ingest, the queries, the charts and the about page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import pyarrow as pa

from dashboard.i18n import N_, _, language, translate

if TYPE_CHECKING:
    from dashboard.kinds import Kind

Lang = Literal["fr", "en"]


@dataclass(frozen=True)
class Category:
    """One value of a taxonomy. `code` is the value stored in the tables."""

    code: str
    en: str
    definition: str
    color: str
    # The definition in English; a category without one is translated through the catalogue (its French
    # definition is marked with N_).
    definition_en: str = ""

    @property
    def fr(self) -> str:
        return self.code


@dataclass(frozen=True)
class Taxonomy:
    name: str
    title_fr: str
    title_en: str
    categories: tuple[Category, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.categories)

    def get(self, code: str) -> Category:
        for category in self.categories:
            if category.code == code:
                return category
        raise KeyError(f"{code!r} n'appartient pas à la taxonomie {self.title_fr}")

    def label(self, code: str, lang: Lang = "fr") -> str:
        category = self.get(code)
        # Upper-case the first letter only: str.capitalize() would turn "OTAN" into "Otan".
        text = category.fr if lang == "fr" else category.en
        return text[:1].upper() + text[1:]

    def definition(self, code: str, lang: Lang = "fr") -> str:
        """The category's definition in `lang`: its English one where the schema gives it, else the catalogue's."""
        category = self.get(code)
        if lang == "en" and category.definition_en:
            return category.definition_en
        return translate(category.definition, lang)

    def colors(self) -> dict[str, str]:
        return {c.code: c.color for c in self.categories}

    def title(self, lang: Lang = "fr") -> str:
        return self.title_fr if lang == "fr" else self.title_en


# The four strategic functions served by the PMO (the fifth, dissuasion, is not).
STRATEGIC_FUNCTIONS = Taxonomy(
    "strategic_function",
    "Fonction stratégique",
    "Strategic function",
    (
        Category(
            "prévention",
            "prevention",
            "Prévenir les conflits en renforçant les capacités des pays amis par le conseil, "
            "la formation, l'entraînement et l'accompagnement au combat.",
            "#1f5fa8",
            "Prevent conflicts by building up friendly countries' capabilities through advice, education, "
            "training and combat mentoring.",
        ),
        Category(
            "intervention",
            "intervention",
            "Accompagner au combat les partenaires engagés en opération.",
            "#c0392b",
            "Mentor partners engaged in operations in combat.",
        ),
        Category(
            "connaissance et anticipation",
            "knowledge and anticipation",
            "Mieux comprendre les pays partenaires et leurs milieux pour anticiper les crises.",
            "#e0a030",
            "Better understand partner countries and their environments so as to anticipate crises.",
        ),
        Category(
            "protection",
            "protection",
            "Protéger nos intérêts et nos ressortissants à l'étranger par la présence "
            "permanente ou ponctuelle de nos unités.",
            "#2e8b57",
            "Protect French interests and nationals abroad through the permanent or temporary presence of "
            "French units.",
        ),
    ),
)

SUPERIORITY_FACTORS = Taxonomy(
    "superiority_factor",
    "Facteur de supériorité opérationnelle",
    "Operational superiority factor",
    (
        Category(
            "compréhension",
            "understanding",
            "Connaître l'environnement opérationnel, les acteurs et les partenaires au plus près des zones de combat.",
            "#e69f00",
            "Know the operational environment, the actors and the partners as close as possible to the combat zones.",
        ),
        Category(
            "coopération",
            "cooperation",
            "Agir avec les alliés et les partenaires, interopérables et en confiance.",
            "#882255",
            "Act with allies and partners, interoperable and trusted.",
        ),
        Category(
            "agilité",
            "agility",
            "S'adapter vite aux changements de situation et saisir les opportunités.",
            "#8172b3",
            "Adapt quickly to changing situations and seize opportunities.",
        ),
        Category(
            "masse",
            "mass",
            "Générer un volume de forces suffisant, y compris une masse de combat locale chez les partenaires.",
            "#d55e00",
            "Generate a sufficient volume of forces, including a local combat mass among partners.",
        ),
        Category(
            "endurance",
            "endurance",
            "Durer dans l'engagement, soutenir et régénérer les forces.",
            "#937860",
            "Last in the engagement, sustain and regenerate the forces.",
        ),
        Category(
            "force morale",
            "morale",
            "Tenir par la cohésion, la volonté et les forces morales des combattants.",
            "#cc79a7",
            "Hold through the cohesion, will and moral strength of the soldiers.",
        ),
        Category(
            "influence",
            "influence",
            "Agir dans le champ des perceptions et asseoir la légitimité de nos engagements.",
            "#332288",
            "Act in the field of perceptions and establish the legitimacy of our engagements.",
        ),
        Category(
            "performance du commandement",
            "command performance",
            "Décider et commander mieux et plus vite que l'adversaire.",
            "#64b5cd",
            "Decide and command better and faster than the adversary.",
        ),
    ),
)

MODES = Taxonomy(
    "mode",
    "Mode d'action",
    "Mode of action",
    (
        Category("conseil", "advising", N_("Conseiller les états-majors et les unités partenaires."), "#3b6ea5"),
        Category("formation", "training", N_("Former les cadres et les spécialistes partenaires."), "#5aa469"),
        Category(
            "entraînement",
            "exercising",
            N_("Entraîner les unités partenaires, seules ou aux côtés des nôtres."),
            "#e39b3d",
        ),
        Category(
            "accompagnement au combat",
            "combat partnering",
            N_("Accompagner les unités partenaires en opération, jusqu'au combat."),
            "#b23a48",
        ),
    ),
)

PILLARS = Taxonomy(
    "pillar",
    "Pilier des relations internationales",
    "International relations pillar",
    (
        Category(
            "coopérer",
            "cooperate",
            N_("Coopérer pour renforcer les alliances et l'interopérabilité."),
            "#2a6f97",
        ),
        Category(
            "former",
            "train",
            N_("Former pour bâtir une culture stratégique commune."),
            "#61a5c2",
        ),
        Category(
            "soutenir les exportations",
            "support exports",
            N_("Soutenir les exportations d'équipements militaires, levier de convergence entre alliés."),
            "#b5651d",
        ),
        Category(
            "rencontres stratégiques",
            "strategic engagement",
            N_("Favoriser les rencontres stratégiques au plus haut niveau."),
            "#013a63",
        ),
    ),
)

FRAMEWORKS = Taxonomy(
    "framework",
    "Cadre",
    "Framework",
    (
        Category("EMA", "Defence staff", N_("Sous l'égide de l'état-major des Armées."), "#34495e"),
        Category(
            "MEAE",
            "Foreign ministry",
            N_("Sous l'égide du ministère de l'Europe et des Affaires étrangères."),
            "#b15928",
        ),
        Category("OTAN", "NATO", N_("Dans le cadre de l'Organisation du traité de l'Atlantique nord."), "#2874a6"),
        Category("UE", "EU", N_("Dans le cadre de l'Union européenne."), "#b8930a"),
        Category("bilatéral", "bilateral", N_("Entre la France et un pays partenaire."), "#16a085"),
    ),
)

FORCES = Taxonomy(
    "force",
    "Dispositif",
    "Force posture",
    (
        Category(
            "forces de présence",
            "forces stationed abroad",
            N_("Forces prépositionnées à l'étranger (Djibouti, Gabon, Côte d'Ivoire, Sénégal, Émirats)."),
            "#56b4e9",
        ),
        Category(
            "forces de souveraineté",
            "overseas sovereignty forces",
            N_("Forces stationnées dans les outre-mer français."),
            "#148f77",
        ),
        Category(
            "régiments de métropole",
            "regiments in mainland France",
            N_("Régiments de métropole projetés, en OPEX ou hors OPEX."),
            "#7d3c98",
        ),
        Category(
            "écoles et centres",
            "schools and centres",
            N_("Écoles et centres de formation de l'armée de Terre."),
            "#b9770e",
        ),
    ),
)

MEETING_KINDS = Taxonomy(
    "kind",
    "Type de rencontre",
    "Meeting kind",
    (
        Category("réunion OTAN", "NATO meeting", N_("Réunion d'un organe de l'OTAN avec des partenaires."), "#56b4e9"),
        Category("réunion UE", "EU meeting", N_("Réunion d'un organe de l'Union européenne."), "#b15928"),
        Category(
            "entretiens d'état-major",
            "staff talks",
            N_("Entretiens bilatéraux entre états-majors."),
            "#16a085",
        ),
        Category(
            "rencontre de haut niveau",
            "high-level meeting",
            N_("Visite ou rencontre entre chefs militaires."),
            "#922b21",
        ),
        Category("exercice", "exercise", N_("Exercice conjoint avec des partenaires."), "#e67e22"),
        Category(
            "jalon de programme",
            "programme milestone",
            N_("Étape d'un programme de partenariat (accord, livraison, phase)."),
            "#7d3c98",
        ),
    ),
)

MEETING_LEVELS = Taxonomy(
    "level",
    "Niveau",
    "Level",
    (
        Category("CEMA/CHOD", "chiefs of defence", N_("Chefs d'état-major des armées."), "#641e16"),
        Category("CEMAT", "chiefs of army staff", N_("Chefs d'état-major des armées de Terre."), "#a93226"),
        Category("état-major", "staff", N_("Officiers d'état-major."), "#56b4e9"),
        Category("experts", "experts", N_("Experts et spécialistes."), "#dc7633"),
    ),
)

MEETING_FORMATS = Taxonomy(
    "format",
    "Format",
    "Format",
    (
        Category("présentiel", "in person", N_("Réunion en présence des participants."), "#1f618d"),
        Category("virtuel", "virtual", N_("Réunion par visioconférence."), "#17a589"),
        Category("hybride", "hybrid", N_("Réunion en partie en présence, en partie à distance."), "#e69f00"),
    ),
)

# The life of an action: planned, then realised, cancelled or postponed. "En cours" is never
# stored: it is a planned action whose first day has come (see IN_PROGRESS and ACTION_STATES).
ACTION_STATUSES = Taxonomy(
    "status",
    "Statut de l'action",
    "Action status",
    (
        Category("prévue", "planned", N_("Action programmée dont le premier jour n'est pas encore venu."), "#6b9fd4"),
        Category("réalisée", "completed", N_("Action conduite jusqu'à son terme."), "#34495e"),
        Category("annulée", "cancelled", N_("Action programmée puis abandonnée ; le motif est indiqué."), "#c0392b"),
        Category(
            "reportée",
            "postponed",
            N_("Action programmée puis repoussée à une date ultérieure ; le motif est indiqué."),
            "#e0a030",
        ),
    ),
)
IN_PROGRESS = Category(
    "en cours",
    "in progress",
    N_("Action prévue dont le premier jour est passé : déduit des dates, jamais saisi."),
    "#1f78c8",
)
# The statuses as the pages show and filter them: the stored ones with "en cours" between.
ACTION_STATES = Taxonomy(
    "state",
    "Statut",
    "Status",
    (
        ACTION_STATUSES.get("réalisée"),
        IN_PROGRESS,
        ACTION_STATUSES.get("prévue"),
        ACTION_STATUSES.get("reportée"),
        ACTION_STATUSES.get("annulée"),
    ),
)
REALISED = "réalisée"
PLANNED = "prévue"

# How well a realised action reached its objective, from the lowest level to the highest.
ASSESSMENTS = Taxonomy(
    "assessment",
    "Évaluation",
    "Assessment",
    (
        Category("non atteint", "not met", N_("L'objectif de l'action n'a pas été atteint."), "#b35806"),
        Category(
            "partiellement atteint",
            "partly met",
            N_("L'objectif n'a été atteint qu'en partie ; une suite est à prévoir."),
            "#e6ab02",
        ),
        Category("atteint", "met", N_("L'objectif de l'action a été atteint."), "#67a9cf"),
        Category("dépassé", "exceeded", N_("L'action a donné plus que son objectif."), "#2166ac"),
    ),
)
# Level of each assessment on a scale of 0 to 3, for averages by mode, function or factor.
ASSESSMENT_SCORES: dict[str, int] = {code: i for i, code in enumerate(ASSESSMENTS.codes)}

MEETING_STATUSES = Taxonomy(
    "meeting_status",
    "Statut de la rencontre",
    "Meeting status",
    (
        Category("prévue", "planned", N_("Rencontre inscrite au calendrier, pas encore tenue."), "#6b9fd4"),
        Category("tenue", "held", N_("Rencontre qui a eu lieu."), "#34495e"),
        Category("annulée", "cancelled", N_("Rencontre inscrite au calendrier puis annulée."), "#c0392b"),
    ),
)

# Regions group partner countries for filters, zoom presets and breakdowns.
# Stored in French; N_ marks them for the catalogue, which gives their English names.
REGIONS: tuple[str, ...] = (N_("Afrique"), N_("Europe"), N_("Moyen-Orient"), N_("Indo-Pacifique"), N_("Amériques"))
REGION_COLORS: dict[str, str] = {
    "Afrique": "#9c5b2e",
    "Europe": "#6a3d9a",
    "Moyen-Orient": "#c2185b",
    "Indo-Pacifique": "#e69f00",
    "Amériques": "#5d6d7e",
}

TAXONOMIES: tuple[Taxonomy, ...] = (
    STRATEGIC_FUNCTIONS,
    SUPERIORITY_FACTORS,
    MODES,
    PILLARS,
    FRAMEWORKS,
    FORCES,
    MEETING_KINDS,
    MEETING_LEVELS,
    MEETING_FORMATS,
    ACTION_STATUSES,
    ACTION_STATES,
    ASSESSMENTS,
    MEETING_STATUSES,
)

ColumnKind = Literal[
    "string", "date", "integer", "boolean", "category", "categories", "country", "countries", "strings"
]


@dataclass(frozen=True)
class Column:
    name: str
    header_fr: str
    kind: ColumnKind
    required: bool
    description: str
    taxonomy: Taxonomy | None = None
    english_header: str = ""
    # For a required column that older files lack: how its value is made when the column is absent
    # (or a cell empty), in French for the data dictionary. The import says so as a warning.
    fallback: str = ""

    @property
    def requirement(self) -> str:
        """Whether a file must give the column, in the language: a column with a fallback may be left out."""
        if self.fallback:
            return _("conseillée")
        return _("obligatoire") if self.required else _("facultatif")

    @property
    def required_words(self) -> str:
        """The requirement as a table column says it: yes, no, or advised."""
        if self.fallback:
            return _("conseillée")
        return _("oui") if self.required else _("non")

    @property
    def meaning(self) -> str:
        """What the column holds, in the language."""
        return _(self.description)

    @property
    def fallback_words(self) -> str:
        return _(self.fallback) if self.fallback else ""

    @property
    def behaviour(self) -> Kind:
        """How the column's cells are parsed, checked, formatted and described: its kind in dashboard.kinds."""
        # Imported here: the kinds name countries through dashboard.reference, which reads this module's taxonomies.
        from dashboard.kinds import KINDS

        return KINDS[self.kind]

    @property
    def arrow_type(self) -> pa.DataType:
        return self.behaviour.arrow_type

    @property
    def type_label(self) -> str:
        return _(self.behaviour.label)

    def allowed(self) -> str:
        """What a cell of the column may hold, in the language (templates, data dictionary)."""
        return self.behaviour.describe(self.taxonomy)


@dataclass(frozen=True)
class TableSpec:
    name: str
    title_fr: str
    key: str
    columns: tuple[Column, ...]
    derived: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def title(self) -> str:
        """The table's name in the language."""
        return _(self.title_fr)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.arrow_type, nullable=not c.required) for c in self.columns])

    def empty(self) -> pa.Table:
        return self.arrow_schema().empty_table()


ACTIONS = TableSpec(
    "actions",
    N_("Actions de PMO"),
    "action_id",
    (
        Column(
            "action_id", "identifiant", "string", True, N_("Identifiant unique de l'action ; clé des mises à jour.")
        ),
        Column("title", "intitulé", "string", True, N_("Intitulé de l'action.")),
        Column("start_date", "date_début", "date", True, N_("Premier jour de l'action.")),
        Column("end_date", "date_fin", "date", True, N_("Dernier jour de l'action, pas avant la date de début.")),
        Column("country_iso3", "pays", "country", True, N_("Pays partenaire (code ISO 3166-1 alpha-3).")),
        Column("mode", "mode_action", "category", True, N_("Mode d'action."), MODES),
        Column(
            "strategic_function",
            "fonction_stratégique",
            "category",
            True,
            N_("Fonction stratégique servie."),
            STRATEGIC_FUNCTIONS,
        ),
        Column(
            "superiority_factors",
            "facteurs_supériorité",
            "categories",
            True,
            N_("Facteurs de supériorité opérationnelle servis, au moins un (séparés par | ou ;)."),
            SUPERIORITY_FACTORS,
        ),
        Column("pillar", "pilier", "category", False, N_("Pilier des relations internationales."), PILLARS),
        Column("framework", "cadre", "category", True, N_("Cadre de l'action."), FRAMEWORKS),
        Column("opex", "opex", "boolean", True, N_("Action conduite en opération extérieure (oui/non).")),
        Column("force", "dispositif", "category", True, N_("Dispositif qui conduit l'action."), FORCES),
        Column("unit", "unité", "string", False, N_("Unité qui conduit l'action.")),
        Column("french_personnel", "effectif_français", "integer", False, N_("Effectif français engagé.")),
        Column(
            "partner_trainees",
            "stagiaires_partenaires",
            "integer",
            False,
            N_("Personnels partenaires formés ou conseillés."),
        ),
        Column("programme", "programme", "string", False, N_("Partenariat nommé, par exemple CaMo.")),
        Column("description", "description", "string", False, N_("Description libre.")),
        Column(
            "status",
            "statut",
            "category",
            True,
            N_(
                "Statut de l'action ; « en cours » n'est jamais saisi : c'est une action prévue dont le premier jour "
                "est passé."
            ),
            ACTION_STATUSES,
            fallback=N_("déduit des dates : réalisée si la date de fin est passée, prévue sinon"),
        ),
        Column("objective", "objectif", "string", False, N_("Objectif de l'action, en une phrase.")),
        Column(
            "assessment",
            "évaluation",
            "category",
            False,
            N_("Évaluation de l'atteinte de l'objectif, pour une action réalisée seulement."),
            ASSESSMENTS,
        ),
        Column("assessment_note", "commentaire_évaluation", "string", False, N_("Commentaire de l'évaluation.")),
        Column(
            "cancellation_reason",
            "motif_annulation",
            "string",
            False,
            N_("Motif de l'annulation ou du report d'une action."),
        ),
    ),
    derived={
        "state": N_("Statut affiché : celui de l'action, ou « en cours » pour une action prévue déjà commencée."),
        "region": N_("Région du pays partenaire."),
        "year": N_("Année de la date de début."),
        "duration_days": N_("Durée en jours, bornes comprises."),
        "person_days": N_("Journées-personnel : effectif français × durée."),
    },
)

MEETINGS = TableSpec(
    "meetings",
    N_("Rencontres internationales"),
    "meeting_id",
    (
        Column("meeting_id", "identifiant", "string", True, N_("Identifiant unique de la rencontre.")),
        Column("title", "intitulé", "string", True, N_("Intitulé de la rencontre.")),
        Column("start_date", "date_début", "date", True, N_("Premier jour.")),
        Column("end_date", "date_fin", "date", True, N_("Dernier jour ; égal au premier pour un jalon.")),
        Column("kind", "type", "category", True, N_("Type de rencontre."), MEETING_KINDS),
        Column(
            "body", "organisme", "string", True, N_("Organisme qui réunit, par exemple le Comité militaire de l'OTAN.")
        ),
        Column("level", "niveau", "category", True, N_("Niveau des participants."), MEETING_LEVELS),
        Column("format", "format", "category", True, N_("Format de la rencontre."), MEETING_FORMATS),
        Column("city", "ville", "string", False, N_("Ville où elle s'est tenue.")),
        Column("country_iso3", "pays", "country", True, N_("Pays où elle s'est tenue (ISO3).")),
        Column("partner_countries", "pays_partenaires", "countries", False, N_("Pays partenaires présents (ISO3).")),
        Column("participants", "participants", "integer", False, N_("Nombre de délégations ou de pays.")),
        Column("topics", "thèmes", "strings", False, N_("Thèmes abordés.")),
        Column("summary", "résumé", "string", False, N_("Résumé.")),
        Column(
            "status",
            "statut",
            "category",
            True,
            N_("Statut de la rencontre."),
            MEETING_STATUSES,
            fallback=N_("déduit des dates : tenue si la date de fin est passée, prévue sinon"),
        ),
    ),
)

TABLES: dict[str, TableSpec] = {ACTIONS.name: ACTIONS, MEETINGS.name: MEETINGS}

# Measures the pages can show, with their French labels (`_()` translates them where shown).
MEASURES: dict[str, str] = {
    "actions": N_("Actions"),
    "person_days": N_("Journées-personnel"),
    "partner_trainees": N_("Stagiaires partenaires"),
    "countries": N_("Pays partenaires"),
    "modes": N_("Modes d'action distincts"),
}

HOME_COUNTRY = "FRA"


def today() -> dt.date:
    return dt.date.today()


def dictionary(spec: TableSpec) -> list[dict[str, str]]:
    """The data dictionary of a table, one entry per column (stored and derived), in the language."""
    column, header, kind, required, rule = (
        _("Colonne"),
        _("En-tête français"),
        _("Type"),
        _("Obligatoire"),
        _("Règle et sens"),
    )
    rows = [
        {
            column: c.name,
            header: c.header_fr,
            kind: c.type_label,
            required: c.required_words,
            rule: c.meaning
            + (" " + _("Valeurs : {values}.").format(values=", ".join(c.taxonomy.codes)) if c.taxonomy else "")
            + (" " + _("Absente d'un fichier : {fallback}.").format(fallback=c.fallback_words) if c.fallback else ""),
        }
        for c in spec.columns
    ]
    rows += [
        {column: name, header: "—", kind: _("calculé"), required: "—", rule: _(text)}
        for name, text in spec.derived.items()
    ]
    return rows


def glossary(taxonomy: Taxonomy) -> list[dict[str, str]]:
    """The categories of a taxonomy: label, definition and colour, in the language; in French, the English name
    too, which a file may use as well (in English, the label is that name)."""
    lang = language()
    rows = []
    for c in taxonomy.categories:
        row = {_("Libellé"): taxonomy.label(c.code, lang)}
        if lang == "fr":
            row["English"] = c.en
        rows.append(row | {_("Définition"): taxonomy.definition(c.code, lang), _("Couleur"): c.color})
    return rows
