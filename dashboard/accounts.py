"""Manage local accounts: `python -m dashboard.accounts add NAME --role staff`.

Commands: add, list, set-role, remove, passwd. A password is asked twice on
the terminal, or read from standard input with --password-stdin (one line).
`add NAME --role ROLE --oidc` records the role of an OpenID Connect identity
(its e-mail) without any local password. The file is the PMO_ACCOUNTS setting.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from dashboard.auth import ROLES, AccountError, AccountStore, role_label
from dashboard.settings import settings


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.removesuffix("\n").removesuffix("\r")
    first = getpass.getpass("Mot de passe : ")
    second = getpass.getpass("Mot de passe (encore) : ")
    if first != second:
        raise AccountError("Les deux mots de passe diffèrent : rien n'a changé.")
    return first


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m dashboard.accounts", description="Comptes locaux du tableau de bord")
    main.add_argument("--file", help="fichier des comptes (défaut : réglage PMO_ACCOUNTS)")
    commands = main.add_subparsers(dest="command", required=True)

    add = commands.add_parser("add", help="créer un compte")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--password-stdin", action="store_true", help="lire le mot de passe sur l'entrée standard")
    add.add_argument(
        "--oidc", action="store_true", help="identité OpenID Connect (e-mail) : rôle seul, sans mot de passe"
    )

    commands.add_parser("list", help="lister les comptes")

    set_role = commands.add_parser("set-role", help="changer le rôle d'un compte")
    set_role.add_argument("name")
    set_role.add_argument("role", choices=ROLES)

    remove = commands.add_parser("remove", help="supprimer un compte")
    remove.add_argument("name")

    passwd = commands.add_parser("passwd", help="changer le mot de passe d'un compte")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    store = AccountStore(args.file or settings().accounts_path)
    try:
        if args.command == "add":
            if not args.oidc and store.get(args.name) is not None:
                raise AccountError(f"Le compte « {args.name} » existe déjà : utiliser set-role ou passwd.")
            password = None if args.oidc else _password(args)
            account = store.add(args.name, args.role, password)
            print(f"Compte « {account.name} » créé : {role_label(account.role)} ({account.role}).")
        elif args.command == "list":
            accounts = store.accounts()
            if not accounts:
                print(f"Aucun compte dans {store.path}.")
            for account in accounts:
                kind = "mot de passe" if account.password_hash else "OpenID Connect"
                print(f"{account.name}\t{account.role}\t{kind}\tmodifié {account.updated}")
        elif args.command == "set-role":
            account = store.set_role(args.name, args.role)
            print(f"Compte « {account.name} » : {role_label(account.role)} ({account.role}).")
        elif args.command == "remove":
            store.remove(args.name)
            print(f"Compte « {args.name} » supprimé.")
        elif args.command == "passwd":
            if store.get(args.name) is None:
                raise AccountError(f"Aucun compte « {args.name} ».")
            store.set_password(args.name, _password(args))
            print(f"Mot de passe du compte « {args.name} » changé.")
    except AccountError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
