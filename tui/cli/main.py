"""The `complementarias` command: the TUI and every batch job."""

from __future__ import annotations

from tui.shell.early_tty import quiet_stdin_until_exit

quiet_stdin_until_exit()  # first, before the heavy imports: typed-ahead keys are not echoed

import argparse  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from typing import Any  # noqa: E402

from tui.shell.database import fail, install_signal_handlers, open_database  # noqa: E402
from tui.shell.early_tty import opens_the_app  # noqa: E402

# What opening the app needs is imported here; each command imports its own modules (the
# database layer, the batch and SSH commands), so the login screen is drawn without them
# (tests/test_startup_imports.py).


def _parser(commands: bool = True) -> argparse.ArgumentParser:
    """The command line; without `commands`, only the options of opening the app (no help
    option either: `-h`, anything unknown and any error are left to the whole parser)."""
    p = argparse.ArgumentParser(
        prog="complementarias",
        description="Solicitudes de formación complementaria del SENA, en la terminal.",
        epilog="Sin comando abre la aplicación. Base de datos: --database-url, DATABASE_URL, "
               "un archivo .env o, si no hay ninguna, la base embebida.",
        add_help=commands, exit_on_error=commands,
    )
    p.add_argument("--database-url", metavar="URL",
                   help="URL de PostgreSQL (también DATABASE_URL o .env)")
    p.add_argument("--low-bandwidth", action="store_true",
                   help="perfil de bajo ancho de banda (también low_bandwidth en config.toml)")
    if commands:
        _add_commands(p)
    return p


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The arguments; opening the app (no command) builds no sub-command parser."""
    if opens_the_app(argv):
        try:
            args, rest = _parser(commands=False).parse_known_args(argv)
        except argparse.ArgumentError:
            rest = argv
        if not rest:
            return args
    return _parser().parse_args(argv)


def _add_commands(p: argparse.ArgumentParser) -> None:
    from tui.services import model

    sub = p.add_subparsers(dest="command", metavar="COMANDO")

    m = sub.add_parser("migrate", help="aplicar, listar o revertir migraciones")
    g = m.add_mutually_exclusive_group()
    g.add_argument("--list", action="store_true", help="listar aplicadas y pendientes")
    g.add_argument("--rollback", type=int, metavar="N", help="revertir las últimas N")
    g.add_argument("--break-lock", action="store_true",
                   help="liberar un bloqueo de migración abandonado")
    m.set_defaults(func=cmd_migrate)

    s = sub.add_parser("seed", help="cargar los datos de demostración (idempotente)")
    s.add_argument("--synthetic", action="store_true",
                   help="cargar un conjunto sintético a escala nacional (pruebas de rendimiento)")
    s.add_argument("--solicitudes", type=int, default=1_000_000, metavar="N",
                   help="solicitudes del conjunto sintético (por defecto 1 000 000)")
    s.set_defaults(func=cmd_seed)

    d = sub.add_parser("db", help="servidor PostgreSQL embebido")
    d.add_argument("action", choices=["status", "start", "stop", "url", "backup", "restore"])
    d.add_argument("file", nargs="?", metavar="ARCHIVO",
                   help="copia de seguridad (backup: se crea; restore: se carga)")
    d.add_argument("--force", action="store_true",
                   help="detener o restaurar aunque haya clientes")
    d.set_defaults(func=cmd_db)

    _user_parser(sub)
    r = sub.add_parser("remind", help="crear recordatorios de solicitudes pendientes (para cron)",
                       description="Crea una notificación RECORDATORIO para cada coordinador "
                                   "activo cuyo centro tiene solicitudes en estado «"
                                   f"{model.ESTADO_LABEL[model.PENDIENTE]}» de más de N días "
                                   "(como máximo una al día por coordinador).")
    r.add_argument("--days", type=int, default=7, metavar="N",
                   help="antigüedad mínima en días (por defecto 7)")
    r.set_defaults(func=cmd_remind)

    from tui.cli.batch import add_batch_parsers
    from tui.ssh.command import add_parser as add_serve_ssh

    add_batch_parsers(sub)
    add_serve_ssh(sub)
    k = sub.add_parser("keys", help="listar las teclas y sus identificadores (para remapear)")
    k.set_defaults(func=cmd_keys)


def cmd_keys(args: argparse.Namespace) -> int:
    from tui.config import config_path
    from tui.shell.keys import format_table

    print(format_table())
    print(f"\nPara cambiar una tecla, en {config_path()}:\n  [keymap]\n  <id> = \"tecla\"")
    return 0


def _user_parser(sub: Any) -> None:
    from tui.services import model

    u = sub.add_parser("user", help="administrar usuarios (p. ej. crear el primer admin)")
    usub = u.add_subparsers(dest="user_command", metavar="ACCIÓN", required=True)
    c = usub.add_parser(
        "create", help="crear un usuario y mostrar su contraseña temporal",
        description="Crea una cuenta sin necesidad de sesión (sirve para el primer "
                    "administrador). La contraseña temporal se muestra una sola vez y debe "
                    "cambiarse en el primer inicio de sesión.")
    c.add_argument("--email", required=True, help="correo institucional (@sena.edu.co o "
                                                  "@misena.edu.co)")
    c.add_argument("--name", required=True, help="nombre completo")
    c.add_argument("--cedula", required=True, help="cédula (solo dígitos)")
    c.add_argument("--role", required=True, choices=model.ROLES)
    c.add_argument("--centro", required=True, metavar="CODIGO", help="código del centro")
    c.add_argument("--telefono", help="teléfono")
    c.add_argument("--especialidad", help="especialidad")
    c.add_argument("--centro-nombre", metavar="NOMBRE",
                   help="si aún no hay ningún centro: nombre del centro a crear")
    c.add_argument("--ciudad", help="si aún no hay ningún centro: su ciudad")
    c.add_argument("--region", help="si aún no hay ningún centro: su región")
    c.set_defaults(func=cmd_user_create)
    ls = usub.add_parser("list", help="listar los usuarios")
    ls.add_argument("--role", choices=model.ROLES,
                    help="solo este rol")
    ls.set_defaults(func=cmd_user_list)


def cmd_user_create(args: argparse.Namespace) -> int:
    from tui.cli.service_call import run_service
    from tui.services import users
    from tui.uikit.formatting import inert

    user, password = run_service(args, lambda pool: users.bootstrap_create(
        pool, email=args.email, name=args.name, cedula=args.cedula, role=args.role,
        centro_codigo=args.centro, telefono=args.telefono, especialidad=args.especialidad,
        centro_nombre=args.centro_nombre, ciudad=args.ciudad, region=args.region))
    print(inert(f"Usuario creado: {user.email} ({user.role}, centro {user.centro_codigo})."))
    print(f"Contraseña temporal: {password}")
    print("Se muestra una sola vez; deberá cambiarse en el primer inicio de sesión.")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from tui.cli.service_call import run_service
    from tui.services import users
    from tui.uikit.formatting import inert

    rows = run_service(args, lambda pool: users.list_all(pool, role=args.role))
    table = [("CORREO", "NOMBRE", "ROL", "CENTRO", "ACTIVO")] + [
        (u.email, u.name, u.role, u.centro_codigo, "sí" if u.is_active else "no") for u in rows]
    widths = [max(len(r[i]) for r in table) for i in range(5)]
    for r in table:
        print(inert("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()))
    print(f"{len(rows)} usuario(s).")
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    from tui.cli.service_call import run_service
    from tui.services import notifications

    if args.days < 0:
        fail("--days debe ser 0 o mayor.", code=2)
    n = run_service(args, lambda pool: notifications.remind(pool, days=args.days))
    print(f"Recordatorios creados: {n}.")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from tui.db import migrations

    db = open_database(args.database_url, prepare_embedded=False)
    try:
        url = db.require_direct()
        if args.list:
            for info in migrations.status(url):
                when = info.applied_at.strftime("%Y-%m-%d %H:%M:%S UTC") if info.applied_at \
                    else "pendiente"
                print(f"{'✔' if info.applied else '·'} {info.id:<28} {when}")
        elif args.break_lock:
            migrations.break_lock(url)
            print("Bloqueo de migración liberado.")
        elif args.rollback is not None:
            done = migrations.rollback(url, args.rollback, _recorder("migrate_rollback"))
            print("Revertidas: " + (", ".join(done) if done else "ninguna"))
        else:
            done = migrations.apply(url, _recorder("migrate_apply"))
            print("Aplicadas: " + ", ".join(done) if done else "La base de datos está al día.")
    except migrations.MigrationError as exc:
        fail(str(exc))
    return 0


def _recorder(action: str) -> Callable[[Any, list[str]], bool]:
    """Each migration's audit entry, written in the migration's own transaction."""
    import getpass

    from tui.services import audit

    return audit.migration_recorder(action, src=f"cli:{getpass.getuser()}")


def cmd_seed(args: argparse.Namespace) -> int:
    from tui.db import migrations
    from tui.services.seed import load_demo

    db = open_database(args.database_url)
    try:
        url = db.require_direct()  # bulk loading: one session, straight to PostgreSQL
        if migrations.pending(url):
            fail("La base de datos tiene migraciones pendientes: ejecute `complementarias "
                 "migrate` primero.")
        if args.synthetic:
            from tui.cli.synthetic import seed_synthetic

            return seed_synthetic(url, args.solicitudes)
        with migrations.connect(url) as conn:
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
        if args.action in ("backup", "restore"):
            return _backup_or_restore(server, args)
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
            print(f"En marcha:        {f'sí (pid {st.pid})' if st.running else 'no'}")
            print(f"Fijado (db start): {'sí' if st.pinned else 'no'}")
            print(f"En uso por otros: {'sí' if st.in_use else 'no'}")
            print(f"URL:              {st.url}")
    except EmbeddedError as exc:
        fail(str(exc))
    return 0


def _backup_or_restore(server: Any, args: argparse.Namespace) -> int:
    from pathlib import Path

    from tui.db import backup

    if not args.file:
        fail(f"indique el archivo: complementarias db {args.action} ARCHIVO", code=2)
    server.acquire()
    try:
        if args.action == "backup":
            size = backup.dump(server, Path(args.file))
            print(f"Copia de seguridad escrita en {args.file} ({size / 1024:.0f} KiB).")
            return 0
        if not args.force and server.others_present():
            fail("La base embebida está en uso por otras sesiones de complementarias: ciérrelas "
                 "o use --force.")
        backup.restore(server, Path(args.file))
    finally:
        server.release()
    print(f"Base restaurada desde {args.file}. La anterior se conserva como "
          "«complementarias_previous» hasta la próxima restauración.")
    return 0


def cmd_tui(args: argparse.Namespace) -> int:
    from tui.config import load_settings
    from tui.shell.bandwidth import apply_profile

    settings = load_settings()
    if getattr(args, "low_bandwidth", False) or settings.low_bandwidth:
        apply_profile(fps=settings.fps, colors=settings.colors)  # before Textual is imported
    from tui.db.urls import choose
    from tui.shell.database import PendingDatabase

    # The login screen is drawn first; the database (embedded server, warm check, psycopg)
    # opens in a thread right after, and the login waits for it only when submitted.
    choice = choose(args.database_url)
    from tui.shell.app import run_app

    return run_app(PendingDatabase(choice, lambda: open_database(args.database_url)))


def _reported(exc: BaseException) -> bool:
    """Whether `exc` is a refusal the command line reports as one line: a ValueError, or an
    error of the embedded server or of the migrations (their modules are imported only by the
    commands that use them: an instance exists only if its module does)."""
    kinds: list[type[BaseException]] = [ValueError]
    for module, name in (("tui.db.embedded", "EmbeddedError"),
                         ("tui.db.migrations", "MigrationError")):
        if module in sys.modules:
            kinds.append(getattr(sys.modules[module], name))
    return isinstance(exc, tuple(kinds))


def main(argv: Sequence[str] | None = None) -> int:
    install_signal_handlers()
    args = parse_args(sys.argv[1:] if argv is None else list(argv))
    func = getattr(args, "func", cmd_tui)
    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if not _reported(exc):
            raise
        fail(str(exc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
