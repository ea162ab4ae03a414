"""The `serve-ssh` command line (kept apart so `complementarias --help` stays light)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any


def add_parser(sub: Any) -> None:
    s = sub.add_parser(
        "serve-ssh", help="servir la aplicación por SSH",
        description="Sirve la aplicación por SSH: cada sesión abre su propio proceso en su "
                    "propia terminal, ya con la sesión iniciada. Usuario SSH = correo; "
                    "contraseña de la aplicación o una clave pública registrada en ella.")
    s.add_argument("--host", default="127.0.0.1", help="dirección de escucha (127.0.0.1)")
    s.add_argument("--port", type=int, default=2222, help="puerto (2222)")
    s.add_argument("--max-sessions", type=int, default=20, metavar="N",
                   help="conexiones simultáneas en total, con o sin la aplicación (20)")
    s.add_argument("--max-per-user", type=int, default=3, metavar="N",
                   help="conexiones simultáneas por usuario (3; una nueva cierra la más "
                        "antigua)")
    s.add_argument("--idle-timeout", type=float, default=30, metavar="MIN",
                   help="cerrar sesiones sin teclas tras MIN minutos (30; 0 = nunca)")
    s.add_argument("--colors", choices=["256", "16"], default="16",
                   help="colores del perfil de bajo ancho de banda (16: la mitad de bytes)")
    s.add_argument("--fps", type=int, default=10, help="cuadros por segundo del perfil (10)")
    s.add_argument("--no-low-bandwidth", action="store_true",
                   help="desactivar el perfil de bajo ancho de banda (activo por defecto)")
    s.set_defaults(func=cmd_serve_ssh)


def cmd_serve_ssh(args: argparse.Namespace) -> int:
    from tui.shell.database import fail, open_database
    from tui.ssh.server import ServeOptions, serve

    if not 0 < args.port < 65536:
        fail("--port debe estar entre 1 y 65535.", code=2)
    if args.max_sessions < 1 or args.max_per_user < 1 or args.idle_timeout < 0 or args.fps < 1:
        fail("--max-sessions, --max-per-user y --fps deben ser 1 o más; --idle-timeout, 0 o "
             "más.", code=2)
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING,
                        format="%(asctime)s serve-ssh %(message)s")
    logging.getLogger("complementarias.ssh").setLevel(logging.INFO)
    db = open_database(args.database_url)
    opts = ServeOptions(host=args.host, port=args.port, max_sessions=args.max_sessions,
                        max_per_user=args.max_per_user, idle_timeout_min=args.idle_timeout,
                        low_bandwidth=not args.no_low_bandwidth, fps=args.fps,
                        colors=args.colors)
    try:
        asyncio.run(serve(db.url, opts, pooled=db.pooled, direct_url=db.choice.direct_url))
    except OSError as exc:
        fail(f"no se pudo escuchar en {args.host}:{args.port}: {exc.strerror or exc}")
    return 0
