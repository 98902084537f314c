"""Command line: `python -m dashboard.ingest FILE [--table actions|meetings] [--dry-run] [--valid-only]`.

It speaks the language of the setting `PMO_LANGUAGE`: French unless the setting says English.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from dashboard import i18n
from dashboard.i18n import _
from dashboard.ingest.changes import commit, preview
from dashboard.ingest.report import Report, analyse
from dashboard.schema import TABLES
from dashboard.validation import ContractError


def printable(text: str) -> str:
    """`text` with control and format characters written as escapes (\\x1b, \\u202e), never sent raw:
    a cell could otherwise clear the operator's terminal, move its cursor or reverse the text."""
    return "".join(
        ch
        if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf")
        else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


def say(text: object, *, error: bool = False) -> None:
    print(printable(str(text)), file=sys.stderr if error else sys.stdout)


def _summary(report: Report) -> list[str]:
    table = TABLES[report.table].title if report.table else _("table inconnue")
    return [
        _("{name} : {lines} ligne(s) lue(s), table « {table} »").format(
            name=report.name, lines=i18n.number(len(report.lines)), table=table
        ),
        _("{errors} erreur(s), {warnings} avertissement(s), {rejected} ligne(s) rejetée(s)").format(
            errors=i18n.number(len(report.errors)),
            warnings=i18n.number(len(report.warnings)),
            rejected=i18n.number(len(report.rejected_lines)),
        ),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.ingest",
        description="Valide et importe un fichier CSV ou Excel d'actions ou de rencontres.",
    )
    parser.add_argument("file", type=Path, help="fichier CSV ou XLSX")
    parser.add_argument("--table", choices=sorted(TABLES), help="table visée (sinon déduite des en-têtes)")
    parser.add_argument("--store", help="racine du magasin de données (sinon PMO_STORE ou data/store)")
    parser.add_argument("--user", default="import-automatique", help="nom enregistré dans l'historique")
    parser.add_argument("--valid-only", action="store_true", help="importer les lignes valides, rejeter les autres")
    parser.add_argument("--dry-run", action="store_true", help="valider et prévoir sans rien écrire")
    args = parser.parse_args(argv)

    from dashboard.seed import open_store
    from dashboard.settings import SettingsError, settings, store_root
    from dashboard.store import Store, StoreUnavailable

    try:
        i18n.use(settings().language)
    except SettingsError as error:
        say(error, error=True)
        return 2

    try:
        data = args.file.read_bytes()
    except OSError as error:
        say(_("fichier illisible : {file} ({reason})").format(file=args.file, reason=error.strerror), error=True)
        return 2
    report = analyse(args.file.name, data, args.table)
    for problem in report.problems:
        tag = _("ERREUR") if problem.severity == "error" else _("attention")
        say(_("{where} : {what}").format(where=tag, what=problem))
    for line in _summary(report):
        say(line)
    if report.table is None or report.file_errors or (report.errors and not args.valid_only):
        print(_("Rien n'a été importé : corrigez le fichier ou utilisez --valid-only."))
        return 1
    try:
        Store(args.store or store_root()).check()
        store = open_store(args.store)
    except (SettingsError, StoreUnavailable) as error:
        say(error, error=True)
        return 2
    forecast = preview(report, store)
    print(
        _(
            "Prévision : {new} nouvelle(s), {updated} modifiée(s), {unchanged} inchangée(s), {rejected} rejetée(s)"
        ).format(
            new=i18n.number(forecast.new),
            updated=i18n.number(forecast.updated),
            unchanged=i18n.number(forecast.unchanged),
            rejected=i18n.number(forecast.rejected),
        )
    )
    if args.dry_run:
        print(_("Essai à blanc : rien n'a été écrit."))
        return 1 if report.errors else 0
    try:
        result = commit(report, store, user=args.user, valid_only=args.valid_only)
    except ContractError as error:
        say(error, error=True)
        return 1
    if result.changed:
        print(
            _("Version {version} de « {table} » enregistrée : {inserted} ajoutée(s), {updated} modifiée(s).").format(
                version=result.version,
                table=result.table,
                inserted=i18n.number(result.inserted),
                updated=i18n.number(result.updated),
            )
        )
    else:
        print(_("Aucun changement : ces données sont déjà dans la version en vigueur."))
    return 1 if report.errors else 0
