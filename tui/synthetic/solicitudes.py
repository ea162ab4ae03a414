"""Synthetic solicitudes with their horarios, notifications and history, as COPY lines.

Solicitudes are generated oldest first (createdAt grows with the index), so ids and codigos
grow too and the b-trees fill at their right edge. Codigos are numbered per Bogotá year of
creation and fichas per Bogotá year of approval, continuing from ``codigo_next`` /
``ficha_next`` (the caller reads them from the counters and the stored rows, and writes the
counters back afterwards).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tui.services import model
from tui.services.model import APROBADA, CANCELADA, DRAFT, EN_REVISION, PENDIENTE, RECHAZADA
from tui.synthetic.resumen import Resumen
from tui.synthetic.rows import DAY, Generator, N


@dataclass
class Batch:
    solicitudes: list[str] = field(default_factory=list)
    horarios: list[str] = field(default_factory=list)
    notificaciones: list[str] = field(default_factory=list)
    historial: list[str] = field(default_factory=list)


_SLOTS = (("08:00", "12:00"), ("14:00", "18:00"), ("18:00", "22:00"), ("06:00", "08:00"))
_WEEK = [(d, s) for d in range(6) for s in range(4)]  # Monday..Saturday x 4 slots
_DIAS = ("LUNES", "MARTES", "MIERCOLES", "JUEVES", "VIERNES", "SABADO", "DOMINGO")


class SolicitudMaker:
    def __init__(self, gen: Generator, total: int, codigo_next: dict[int, int],
                 ficha_next: dict[int, int], resumen: Resumen | None = None) -> None:
        self.gen = gen
        self.resumen = resumen  # the summary deltas, when the load skips the triggers
        self.total = total
        self.codigo_next = codigo_next
        self.ficha_next = ficha_next
        self.span = gen.now - 2 * DAY - gen.start
        last = datetime.fromtimestamp(gen.now, UTC).year + 1
        # Bogotá new year (05:00 UTC) of every year in range, for a quick bisect.
        self.years = list(range(gen.start_year, last + 1))
        self.bounds = [int(datetime(y, 1, 1, 5, tzinfo=UTC).timestamp())
                       for y in self.years]

    def year_of(self, seconds: int) -> int:
        return self.years[bisect.bisect_right(self.bounds, seconds) - 1]

    def _codigo(self, created: int) -> str:
        year = self.year_of(created)
        n = self.codigo_next.get(year, 1)
        self.codigo_next[year] = n + 1
        return f"SOL-{year}-{n:03d}"

    def _ficha(self, approved: int) -> str:
        year = self.year_of(approved)
        n = self.ficha_next.get(year, 1)
        self.ficha_next[year] = n + 1
        return f"{year}{n:04d}"

    def batch(self, lo: int, hi: int) -> Batch:
        """Solicitudes lo..hi-1 with their horarios, notifications and history. The hot loop
        of the load: random draws are inlined (``a + int(r() * n)`` rather than randint) and
        ids are numbered locally."""
        g, out = self.gen, Batch()
        rnd, r = g.rnd, g.rnd.random
        now, T, D = g.now - 60, g._ts, g.day_ts
        instructors, programas, centros = g.people.instructors, g.people.programas, \
            g.people.centros
        ninst, names, resumen = len(instructors), g._names, self.resumen
        hor = out.horarios
        h_prefix, h_seq = f"c{g.tag}h", g._seq.get("h", 0)
        for i in range(lo, hi):
            created = g.start + int((i + r()) * self.span / self.total)
            uid, c, uname, ucedula, uemail = instructors[int(ninst * r() ** 1.5)]
            progs = programas[c]
            pid, pcodigo, horas, cupo, modalidad = progs[int(r() * len(progs))]
            cid, ciudad, region = centros[c]
            estado = g.estado_for(created)
            sid = g._id("s")
            codigo = self._codigo(created)
            submitted = rev = aprob = None
            ficha = comentario = N
            if estado != DRAFT:
                submitted = min(created + 600 + int(r() * (5 * DAY - 599)), now)
            if estado in (EN_REVISION, APROBADA, RECHAZADA):
                rev = min(submitted + 3600 + int(r() * (12 * DAY - 3599)), now)  # type: ignore[operator]  # set above
            if estado == APROBADA:
                aprob = min(rev + int(r() * (3 * DAY + 1)), now)  # type: ignore[operator]  # set above
                ficha = self._ficha(aprob)
                comentario = "Aprobada. Cumple todos los requisitos."
            elif estado == RECHAZADA:
                comentario = "Rechazada: el grupo no cumple el número mínimo de aprendices."
            updated = max(x for x in (created, submitted, rev, aprob) if x is not None)
            if estado == CANCELADA:
                updated = min(updated + 3600 + int(r() * (3 * DAY - 3599)), now)
            # Dates of the course (epoch days) and its horarios.
            day0 = created // DAY
            ini_insc = day0 + 5 + int(r() * 16)
            fin_insc = ini_insc + 7 + int(r() * 14)
            ini_curso = fin_insc + 1 + int(r() * 10)
            k = 4 + int(26 * r() ** 5)
            flex = "t" if r() < 0.7 else "f"
            tail = f"\t{flex}\t{N}\n"
            if r() < 0.25:
                fin_curso = ini_curso + 7 * (4 + int(r() * 13))
                for d, slot in rnd.sample(_WEEK, min(k, 24)):
                    a, b = _SLOTS[slot]
                    h_seq += 1
                    hor.append(f"{h_prefix}{h_seq:017d}\t{sid}\t{_DIAS[d]}\t{N}\t{a}\t{b}{tail}")
            else:
                a, b = _SLOTS[int(r() * 3)]
                d = ini_curso
                for _ in range(k):
                    wd = (d + 3) % 7
                    if wd == 6:  # no Sunday sessions
                        d += 1
                        wd = 0
                    h_seq += 1
                    hor.append(f"{h_prefix}{h_seq:017d}\t{sid}\t{_DIAS[wd]}\t{D(d)}\t{a}\t{b}"
                               f"{tail}")
                    d += 1 + int(r() * 3)
                fin_curso = d + int(r() * 6)
            aprendices = min(10, cupo) + int(r() * (cupo - min(10, cupo) + 1))
            declared = "t" if estado != DRAFT or r() < 0.5 else "f"
            fecha_sol = submitted if submitted is not None else created
            out.solicitudes.append("\t".join((
                sid, codigo, uid, pid, D(day0), uname, ucedula, uemail, pcodigo, "1",
                str(horas), str(cupo), str(aprendices), modalidad, ciudad, region,
                g.company(rnd), f"9{10000000 + int(r() * 90000000)}-{int(r() * 10)}", N,
                names[i % len(names)], N,
                f"Carrera {1 + int(r() * 120)} # {1 + int(r() * 99)}-{1 + int(r() * 99)}",
                f"60{10000000 + int(r() * 90000000)}", "Sede de la empresa", g.ambiente(rnd),
                g.flags(rnd), N, D(ini_insc), D(fin_insc), D(ini_curso), D(fin_curso),
                "Los trabajadores requieren fortalecer sus competencias para mejorar su "
                "desempeño laboral.", N, "Aprendices certificados.", N, declared, declared,
                declared, estado, T(fecha_sol), T(rev) if rev else N, T(aprob) if aprob else N,
                comentario, ficha, T(created), T(updated),
            )) + "\n")
            if resumen is not None:
                resumen.add(cid, pid, uid, estado, fecha_sol, rev if rev is not None else aprob,
                            aprendices, horas)
            self._story(out, i, sid, codigo, estado, c, uid, uname, created, submitted, rev,
                        aprob, updated, ficha)
        g._seq["h"] = h_seq
        g._count("solicitudes", hi - lo)
        g._count("horarios", len(out.horarios))
        g._count("notificaciones", len(out.notificaciones))
        g._count("historial", len(out.historial))
        return out

    def _story(self, out: Batch, i: int, sid: str, codigo: str, estado: str, c: int, uid: str,
               uname: str, created: int, submitted: int | None, rev: int | None,
               aprob: int | None, updated: int, ficha: str) -> None:
        """The notifications and history rows the transitions would have written."""
        g = self.gen
        T, notes, hist, r = g._ts, out.notificaciones, out.historial, g.rnd.random
        recent = g.now - 30 * DAY
        n_prefix = f"c{g.tag}n"

        def note(tipo: str, when: int, to: str, titulo: str, mensaje: str) -> None:
            leida = "f" if (when > recent and r() < 0.5) or r() < 0.03 else "t"
            n = g._seq["n"] = g._seq.get("n", 0) + 1
            notes.append(f"{n_prefix}{n:017d}\t{tipo}\t{titulo}\t{mensaje}\t{leida}\t"
                         f"{T(when)}\t{to}\t{sid}\n")

        def row(actor: tuple[str, str], accion: str, desde: str, hasta: str | None, when: int,
                comentario: str = N) -> None:
            hist.append(f"{sid}\t{actor[0]}\t{actor[1]}\t{accion}\t{desde}\t{hasta}\t"
                        f"{comentario}\t{T(when)}\n")

        def step(actor: tuple[str, str], action: str, desde: str, when: int,
                 comentario: str = N) -> None:
            """The history row of the model's transition `action` from `desde`."""
            rule = model.TRANSITION[action]
            row(actor, rule.accion, desde, rule.hasta, when, comentario)

        me = (uid, uname)
        reviewer = g.people.coordinadores[c][i % len(g.people.coordinadores[c])]
        accion, hasta = model.CREATED
        row(me, accion, N, hasta, created)
        if submitted is None:
            return
        step(me, "submit", DRAFT, submitted)
        for coord_id, _name in g.people.coordinadores[c]:
            note("NUEVA_SOLICITUD", submitted, coord_id, "Nueva solicitud de formación",
                 f"{uname} ha enviado una nueva solicitud de formación complementaria ({codigo})")
        if estado == CANCELADA:
            step(me, "cancel", PENDIENTE, updated)
            return
        desde = PENDIENTE
        if rev is not None and (estado == EN_REVISION or i % 2 == 0):
            step(reviewer, "take", PENDIENTE, rev)
            note("SOLICITUD_REVISION", rev, uid, "Solicitud en revisión",
                 f"Tu solicitud {codigo} está siendo revisada")
            desde = EN_REVISION
        if estado == APROBADA and aprob is not None:
            step(reviewer, "approve", desde, aprob, f"Ficha {ficha}")
            note("SOLICITUD_APROBADA", aprob, uid, "Solicitud aprobada",
                 f"Tu solicitud {codigo} ha sido aprobada. Número de ficha asignado: {ficha}")
            note("ASIGNACION_FICHA", aprob, uid, "Ficha asignada",
                 f"Se ha asignado el número de ficha {ficha} a tu solicitud aprobada")
        elif estado == RECHAZADA and rev is not None:
            step(reviewer, "reject", desde, rev, "Rechazada")
            note("SOLICITUD_RECHAZADA", rev, uid, "Solicitud rechazada",
                 f"Tu solicitud {codigo} ha sido rechazada.")
