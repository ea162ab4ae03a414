"""The `complementarias` command: the TUI and every batch job."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from tui.database import fail, install_signal_handlers, open_database

NOT_YET = "no disponible aún en esta versión"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="complementarias",
        description="Solicitudes de formación complementaria del SENA, en la terminal.",
        epilog="Sin comando abre la aplicación. Base de datos: --database-url, DATABASE_URL, "
               "un archivo .env o, si no hay ninguna, la base embebida.",
    )
    p.add_argument("--database-url", metavar="URL",
                   help="URL de PostgreSQL (también DATABASE_URL o .env)")
    sub = p.add_subparsers(dest="command", metavar="COMANDO")

    m = sub.add_parser("migrate", help="aplicar, listar o revertir migraciones")
    g = m.add_mutually_exclusive_group()
    g.add_argument("--list", action="store_true", help="listar aplicadas y pendientes")
    g.add_argument("--rollback", type=int, metavar="N", help="revertir las últimas N")
    g.add_argument("--break-lock", action="store_true",
                   help="liberar un bloqueo de migración abandonado")
    m.set_defaults(func=cmd_migrate)

    s = sub.add_parser("seed", help="cargar los datos de demostración (idempotente)")
    s.set_defaults(func=cmd_seed)

    d = sub.add_parser("db", help="servidor PostgreSQL embebido")
    d.add_argument("action", choices=["status", "start", "stop", "url"])
    d.add_argument("--force", action="store_true", help="detener aunque haya clientes")
    d.set_defaults(func=cmd_db)

    for name, helptext in (
        ("serve-ssh", "servir la aplicación por SSH"),
        ("user", "administrar usuarios (p. ej. crear el primer admin)"),
        ("remind", "crear recordatorios de solicitudes pendientes (para cron)"),
        ("export", "exportar solicitudes (PDF, XLSX, CSV)"),
        ("import-instructores", "importar instructores desde CSV o XLSX"),
        ("keys", "listar las teclas y sus identificadores"),
    ):
        x = sub.add_parser(name, help=helptext)
        x.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
        x.set_defaults(func=_not_yet(name))
    return p


def _not_yet(name: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        print(f"complementarias {name}: {NOT_YET}.", file=sys.stderr)
        return 1

    return run


def cmd_migrate(args: argparse.Namespace) -> int:
    from tui.db import migrations

    db = open_database(args.database_url, prepare_embedded=False)
    url = db.listen_url
    try:
        if args.list:
            for info in migrations.status(url):
                when = info.applied_at.strftime("%Y-%m-%d %H:%M:%S UTC") if info.applied_at \
                    else "pendiente"
                print(f"{'✔' if info.applied else '·'} {info.id:<28} {when}")
        elif args.break_lock:
            migrations.break_lock(url)
            print("Bloqueo de migración liberado.")
        elif args.rollback is not None:
            done = migrations.rollback(url, args.rollback)
            print("Revertidas: " + (", ".join(done) if done else "ninguna"))
        else:
            done = migrations.apply(url)
            print("Aplicadas: " + ", ".join(done) if done else "La base de datos está al día.")
    except migrations.MigrationError as exc:
        fail(str(exc))
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from tui.db import migrations
    from tui.services.seed import load_demo

    db = open_database(args.database_url)
    try:
        if migrations.pending(db.listen_url):
            fail("La base de datos tiene migraciones pendientes: ejecute `complementarias "
                 "migrate` primero.")
        with migrations.connect(db.url) as conn:
            report = load_demo(conn)
    except migrations.MigrationError as exc:
        fail(str(exc))
    if db.seeded:
        print(f"Base embebida creada y cargada con los datos de demostración ({db.seeded} "
              "filas).")
    elif report.total:
        parts = ", ".join(f"{n} {k}" for k, n in report.created.items() if n)
        print(f"Datos de demostración cargados: {parts}.")
    else:
        print("Los datos de demostración ya estaban cargados; no se cambió nada.")
    for line in report.skipped:
        print(f"Omitido: {line}")
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from tui.db.embedded import EmbeddedError, EmbeddedServer

    server = EmbeddedServer()
    try:
        if args.action == "url":
            print(server.url())
        elif args.action == "start":
            created = server.start_pinned()
            from tui.db import migrations

            migrations.apply(server.url())
            if created:
                from tui.services.seed import load_demo

                with migrations.connect(server.url()) as conn:
                    load_demo(conn)
            print(f"Servidor embebido en marcha (pid {server.pid()}): {server.url()}")
        elif args.action == "stop":
            stopped = server.stop(force=args.force)
            print("Servidor embebido detenido." if stopped else "El servidor no estaba en marcha.")
        else:
            st = server.status()
            print(f"Carpeta de datos: {st.data_dir}")
            print(f"Inicializado:     {'sí' if st.initialized else 'no'}")
            print(f"En marcha:        {'sí (pid %s)' % st.pid if st.running else 'no'}")
            print(f"Fijado (db start): {'sí' if st.pinned else 'no'}")
            print(f"En uso por otros: {'sí' if st.in_use else 'no'}")
            print(f"URL:              {st.url}")
    except EmbeddedError as exc:
        fail(str(exc))
    return 0


def cmd_tui(args: argparse.Namespace) -> int:
    from tui.app import run_app

    db = open_database(args.database_url)
    return run_app(db)


def main(argv: Sequence[str] | None = None) -> int:
    install_signal_handlers()
    args = _parser().parse_args(argv)
    func = getattr(args, "func", cmd_tui)
    from tui.db.embedded import EmbeddedError
    from tui.db.migrations import MigrationError

    try:
        return int(func(args) or 0)
    except (EmbeddedError, MigrationError, ValueError) as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
