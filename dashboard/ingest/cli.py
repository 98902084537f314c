"""Command line: `python -m dashboard.ingest FILE [--table actions|meetings] [--dry-run] [--valid-only]`."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from dashboard import i18n
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
    table = TABLES[report.table].title_fr if report.table else "table inconnue"
    return [
        f"{report.name} : {i18n.number(len(report.lines))} ligne(s) lue(s), table « {table} »",
        f"{i18n.number(len(report.errors))} erreur(s), {i18n.number(len(report.warnings))} avertissement(s), "
        f"{i18n.number(len(report.rejected_lines))} ligne(s) rejetée(s)",
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
    from dashboard.settings import SettingsError, store_root
    from dashboard.store import Store, StoreUnavailable

    try:
        data = args.file.read_bytes()
    except OSError as error:
        say(f"fichier illisible : {args.file} ({error.strerror})", error=True)
        return 2
    report = analyse(args.file.name, data, args.table)
    for problem in report.problems:
        tag = "ERREUR" if problem.severity == "error" else "attention"
        say(f"{tag} : {problem}")
    for line in _summary(report):
        say(line)
    if report.table is None or report.file_errors or (report.errors and not args.valid_only):
        print("Rien n'a été importé : corrigez le fichier ou utilisez --valid-only.")
        return 1
    try:
        Store(args.store or store_root()).check()
        store = open_store(args.store)
    except (SettingsError, StoreUnavailable) as error:
        say(error, error=True)
        return 2
    forecast = preview(report, store)
    print(
        f"Prévision : {i18n.number(forecast.new)} nouvelle(s), {i18n.number(forecast.updated)} modifiée(s), "
        f"{i18n.number(forecast.unchanged)} inchangée(s), {i18n.number(forecast.rejected)} rejetée(s)"
    )
    if args.dry_run:
        print("Essai à blanc : rien n'a été écrit.")
        return 1 if report.errors else 0
    try:
        result = commit(report, store, user=args.user, valid_only=args.valid_only)
    except ContractError as error:
        say(error, error=True)
        return 1
    if result.changed:
        print(
            f"Version {result.version} de « {result.table} » enregistrée : {i18n.number(result.inserted)} ajoutée(s), "
            f"{i18n.number(result.updated)} modifiée(s)."
        )
    else:
        print("Aucun changement : ces données sont déjà dans la version en vigueur.")
    return 1 if report.errors else 0
