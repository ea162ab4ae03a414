"""The batch commands of `complementarias`: `export solicitud|lista` and `import-instructores`.

Each acts as the user named by `--as EMAIL` (who must exist and be active): the services apply
that user's scope exactly as in the TUI. The CLI runs with the database's own rights, like
`user create`; `--as` chooses whose scope applies, it is not a login.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.db.pool import Pool

import argparse
import signal
import sys
from datetime import date
from typing import Any

from tui.services.labels import ESTADOS
from tui.services.model import DATE_ORDERS
from tui.shell.database import fail

AS_HELP = "correo del usuario que exporta/importa (se aplica su alcance)"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"fecha no válida {text!r}: use AAAA-MM-DD") from exc


def add_batch_parsers(sub: Any) -> None:
    e = sub.add_parser("export", help="exportar solicitudes (PDF, XLSX, CSV)",
                       description="Exporta la ficha de una solicitud o una lista filtrada, "
                                   "dentro del alcance del usuario de --as.")
    esub = e.add_subparsers(dest="export_command", metavar="QUÉ", required=True)
    s = esub.add_parser("solicitud", help="la Ficha de Caracterización de una solicitud",
                        description="La ficha completa (F11-3030-003) de una solicitud.")
    s.add_argument("codigo", metavar="CODIGO", help="código de la solicitud, p. ej. SOL-2026-001")
    s.add_argument("--format", required=True, choices=["pdf", "xlsx"])
    s.add_argument("--output", metavar="ARCHIVO|CARPETA",
                   help="archivo de salida con la extensión del formato, o una carpeta (por "
                        "defecto CODIGO.pdf|xlsx en la carpeta actual)")
    s.add_argument("--force", action="store_true", help="reemplazar el archivo si ya existe")
    s.add_argument("--as", dest="as_email", required=True, metavar="EMAIL", help=AS_HELP)
    s.set_defaults(func=cmd_export_solicitud)

    ls = esub.add_parser("lista", help="una lista filtrada (CSV, XLSX con resúmenes, PDF)",
                         description="Todas las solicitudes del alcance del usuario que "
                                     "cumplen los filtros. XLSX: hojas Resumen, Listado "
                                     "completo, Por centro, Por instructor, Por programa. PDF: "
                                     "informe resumido.")
    ls.add_argument("--format", required=True, choices=["csv", "xlsx", "pdf"])
    ls.add_argument("--estado", choices=ESTADOS)
    ls.add_argument("--centro", metavar="CODIGO", help="solo este centro (administradores)")
    ls.add_argument("--desde", type=_date, metavar="AAAA-MM-DD",
                    help="fecha de solicitud desde (inclusive)")
    ls.add_argument("--hasta", type=_date, metavar="AAAA-MM-DD",
                    help="fecha de solicitud hasta (inclusive)")
    ls.add_argument("--orden", choices=list(DATE_ORDERS),
                    help="orden de las filas: " + ", ".join(
                        f"{k} ({v})" for k, v in DATE_ORDERS.items())
                    + "; por defecto el primero. Con --buscar, las coincidencias exactas "
                      "van primero")
    ls.add_argument("--buscar", metavar="TEXTO", help="código, programa, empresa, ficha o "
                                                       "instructor")
    ls.add_argument("--output", metavar="ARCHIVO|CARPETA",
                    help="archivo de salida con la extensión del formato, o una carpeta (por "
                         "defecto solicitudes-AAAAMMDD-HHMM.FORMATO, hora de Bogotá, en la "
                         "carpeta actual)")
    ls.add_argument("--force", action="store_true", help="reemplazar el archivo si ya existe")
    ls.add_argument("--csv-dialect", choices=["excel-es", "rfc4180"],
                    help="CSV: excel-es («;» y coma decimal, para Excel en español) o rfc4180 "
                         "(«,» y punto decimal). Por defecto excel-es, salvo que "
                         "COMPLEMENTARIAS_CSV_DIALECT o el idioma del sistema (LC_ALL, "
                         "LC_NUMERIC, LANG) digan otro")
    ls.add_argument("--as", dest="as_email", required=True, metavar="EMAIL", help=AS_HELP)
    ls.set_defaults(func=cmd_export_lista)

    i = sub.add_parser("import-instructores", help="importar instructores desde CSV o XLSX",
                       description="Columnas nombres, apellidos, cedula, email, telefono, "
                                   "especialidad (en cualquier orden). Con --dry-run solo "
                                   "muestra qué pasaría con cada fila; sin él crea las cuentas "
                                   "en una sola transacción y muestra sus contraseñas "
                                   "temporales una vez.")
    i.add_argument("file", metavar="ARCHIVO", help="archivo .csv o .xlsx")
    i.add_argument("--dry-run", action="store_true", help="solo revisar, no crear nada")
    i.add_argument("--as", dest="as_email", required=True, metavar="EMAIL", help=AS_HELP)
    i.add_argument("--centro", metavar="CODIGO",
                   help="centro de los instructores (obligatorio para administradores)")
    i.add_argument("--passwords", metavar="ARCHIVO|CARPETA",
                   help="guardar también las contraseñas temporales en este CSV (o en "
                        "contrasenas-AAAAMMDD-HHMM.csv dentro de esta carpeta)")
    i.add_argument("--force", action="store_true",
                   help="reemplazar el archivo de --passwords si ya existe")
    i.set_defaults(func=cmd_import)


def _target(output: str | None, fmt: str, default: str, force: bool) -> Any:
    """The output file, checked before the database is opened: a wrong extension, a missing
    folder or an existing file without --force is a usage error (exit 2)."""
    from tui.services import exports
    from tui.services.common import ServiceError

    try:
        return exports.resolve_target(output, fmt, default, force)
    except exports.TargetExists as exc:
        fail(f"{exc.message} Use --force para reemplazarlo.", code=2)
    except ServiceError as exc:
        fail(exc.message, code=2)


def cmd_export_solicitud(args: argparse.Namespace) -> int:
    from tui.cli.service_call import run_service
    from tui.services import exports

    target = _target(args.output, args.format, f"{args.codigo.strip().upper()}.{args.format}",
                     args.force)

    async def work(pool: Pool) -> Any:
        actor = await exports.acting_user(pool, args.as_email)
        return await exports.export_solicitud(pool, actor, args.codigo, args.format,
                                              target, force=args.force)

    result = run_service(args, work)
    print(f"Ficha de {args.codigo.upper()} guardada en {result.path}")
    return 0


def cmd_export_lista(args: argparse.Namespace) -> int:
    from tui.cli.service_call import run_service
    from tui.render.format import numero, plural
    from tui.services import exports
    from tui.services.solicitudes import Filtros

    if args.desde and args.hasta and args.desde > args.hasta:
        fail("--desde debe ser anterior o igual a --hasta.", code=2)
    target = _target(args.output, args.format, exports.default_name("solicitudes", args.format),
                     args.force)
    token = exports.CancelToken()
    signal.signal(signal.SIGINT, lambda *_a: token.cancel())

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{numero(done)} de {plural(total, 'solicitud', 'solicitudes')}…", end="",
              file=sys.stderr, flush=True)

    async def work(pool: Pool) -> Any:
        actor = await exports.acting_user(pool, args.as_email)
        centro_id = await exports.centro_id_for(pool, actor, args.centro)
        filtros = Filtros(estado=args.estado, centro_id=centro_id, desde=args.desde,
                          hasta=args.hasta, texto=args.buscar, orden=args.orden)
        return await exports.export_list(pool, actor, filtros, args.format, target,
                                         progress=progress, cancel=token,
                                         centro_codigo=args.centro, force=args.force,
                                         csv_dialect=args.csv_dialect)

    result = run_service(args, work)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    exported = plural(result.rows, "solicitud exportada", "solicitudes exportadas")
    print(f"{exported} a {result.path}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from tui.cli.service_call import run_service
    from tui.render.format import stamp
    from tui.services import exports, imports

    passwords = None
    if args.passwords:
        passwords = _target(args.passwords, "csv", f"contrasenas-{stamp()}.csv", args.force)

    async def work(pool: Pool) -> Any:
        actor = await exports.acting_user(pool, args.as_email)
        if args.dry_run:
            return await imports.dry_run(pool, actor, args.file, args.centro)
        return await imports.run_import(pool, actor, args.file, args.centro)

    report = run_service(args, work)
    print("Simulación (no se creó nada):" if report.dry_run else "Importación terminada:")
    for r in report.rows:
        label = imports.STATUS_LABEL[r.estado]
        extra = f" · {r.motivo}" if r.motivo else ""
        pw = f" · contraseña temporal: {r.password}" if r.password else ""
        print(f"fila {r.linea:>4}  {label:<10} {r.nombre or '—'} <{r.email or '—'}>{extra}{pw}")
    print(report.summary())
    if not report.dry_run and report.created:
        print("Las contraseñas temporales se muestran una sola vez; deben cambiarse en el "
              "primer inicio de sesión.")
        if passwords is not None:
            path = imports.write_passwords(report, passwords, force=args.force)
            print(f"Contraseñas guardadas en {path} (solo lectura para su dueño).")
    return 0
