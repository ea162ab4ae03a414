"""Rows of the synthetic data set, as COPY text lines (tab-separated, \\N for NULL).

Everything is derived from one seeded random generator, so a given size and seed always give
the same data. Every solicitud is valid under the services' rules: a COMPLEMENTARIA programa
of its instructor's centro, numbers within the cupo, dates in order, 4–30 horarios whose
dates fall on their weekday inside the course period, and the dates, ficha and notifications
its estado implies. Times are naive UTC, as Prisma stores them.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final

from tui.services.horarios import DIAS
from tui.services.labels import ESTADOS
from tui.services.validation import FLAG_FIELDS, TIPOS_AMBIENTE

N = "\\N"
DAY: Final = 86_400
BOGOTA_OFFSET: Final = 5 * 3600
FIRST_YEAR: Final = 2021
# Old solicitudes are mostly decided; the last two months are mostly open.
_WEIGHTS_OLD: Final = (2, 1, 1, 62, 22, 12)
_WEIGHTS_NEW: Final = (20, 35, 15, 18, 8, 4)
_CUM_OLD: Final = tuple(itertools.accumulate(_WEIGHTS_OLD))
_CUM_NEW: Final = tuple(itertools.accumulate(_WEIGHTS_NEW))
_FLAG_TEXTS: Final = tuple("\t".join("t" if k == on else "f" for k in range(len(FLAG_FIELDS)))
                           for on in range(len(FLAG_FIELDS) * 5))
_MODALIDADES: Final = ("PRESENCIAL", "VIRTUAL", "MIXTA", "DESESCOLARIZADA", "COMBINADA")
_TIPOS: Final = ("COMPLEMENTARIA",) * 17 + ("TRANSVERSAL", "ESPECIFICA", "VIRTUAL")
_FIRST: Final = ("Ana", "Carlos", "María", "Luis", "Sandra", "Jorge", "Paola", "Andrés",
                 "Diana", "Felipe", "Laura", "Juan", "Natalia", "Óscar", "Camila", "Héctor")
_LAST: Final = ("Rodríguez", "Gómez", "Martínez", "López", "García", "Pérez", "Díaz", "Torres",
                "Ramírez", "Vargas", "Castro", "Rojas", "Moreno", "Ortiz", "Suárez", "Mejía")
_CITIES: Final = (
    ("Bogotá", "Cundinamarca"), ("Medellín", "Antioquia"), ("Cali", "Valle del Cauca"),
    ("Barranquilla", "Atlántico"), ("Bucaramanga", "Santander"), ("Cartagena", "Bolívar"),
    ("Cúcuta", "Norte de Santander"), ("Pereira", "Risaralda"), ("Manizales", "Caldas"),
    ("Ibagué", "Tolima"), ("Neiva", "Huila"), ("Pasto", "Nariño"), ("Villavicencio", "Meta"),
    ("Tunja", "Boyacá"), ("Montería", "Córdoba"), ("Popayán", "Cauca"),
)  # fmt: skip
_TOPICS: Final = ("Excel", "Atención al cliente", "Soldadura", "Inglés", "Contabilidad",
                  "Manipulación de alimentos", "Redes", "Seguridad industrial", "Cocina",
                  "Agricultura orgánica", "Marketing digital", "Primeros auxilios")
_LEVELS: Final = ("básico", "intermedio", "avanzado", "para empresas", "aplicado")
_COMPANY: Final = ("Cooperativa", "Asociación", "Industrias", "Comercializadora", "Fundación",
                   "Inversiones", "Agropecuaria", "Servicios")
_COMPANY2: Final = ("del Oriente", "Andina", "La Esperanza", "del Valle", "Central", "El Progreso",
                    "del Norte", "Santa Fe", "Los Andes", "San José")


def ts(seconds: int) -> str:
    """Epoch seconds as a naive UTC timestamp literal."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S")


def day_text(day: int) -> str:
    """Epoch day as a midnight timestamp literal."""
    return ts(day * DAY)


def bogota_year(seconds: int) -> int:
    return datetime.fromtimestamp(seconds - BOGOTA_OFFSET, UTC).year


@dataclass
class People:
    """Who exists: filled while centros and users are generated."""

    centros: list[tuple[str, str, str]] = field(default_factory=list)  # id, ciudad, region
    instructors: list[tuple[str, int, str, str, str]] = field(default_factory=list)
    # id, centro index, name, cedula, email
    coordinadores: list[list[tuple[str, str]]] = field(default_factory=list)  # per centro
    programas: list[list[tuple[str, str, int, int, str]]] = field(default_factory=list)
    # per centro, COMPLEMENTARIA only: id, codigo, horas, cupo, modalidad


class Generator:
    def __init__(self, seed: int, tag: str, now: int, password_hash: str) -> None:
        self.rnd = random.Random(seed)
        self.tag = tag  # 6 base-36 characters: ids of this run never collide with another's
        self.now = now
        self.start_year = FIRST_YEAR
        self.start = int(datetime(FIRST_YEAR, 1, 1, 5, tzinfo=UTC).timestamp())
        self.password = password_hash
        self.people = People()
        self.counts: dict[str, int] = {}
        self._seq: dict[str, int] = {}
        self._names = [f"{f} {a} {b}" for f in _FIRST for a in _LAST for b in _LAST]
        self._ts_cache: dict[int, str] = {}  # epoch day -> "YYYY-MM-DD "
        self._midnight: dict[int, str] = {}  # epoch day -> its midnight timestamp
        self._clock = [f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
                       for s in range(DAY)]  # second of the day -> "HH:MM:SS"

    def _id(self, kind: str) -> str:
        n = self._seq.get(kind, 0) + 1
        self._seq[kind] = n
        return f"c{self.tag}{kind}{n:017d}"

    def _ts(self, seconds: int) -> str:
        """ts(), from a per-day cache (the load formats millions of timestamps)."""
        day, rest = divmod(seconds, DAY)
        text = self._ts_cache.get(day)
        if text is None:
            text = self._ts_cache[day] = day_text(day)[:11]
        return text + self._clock[rest]

    def day_ts(self, day: int) -> str:
        """day_text(), cached."""
        text = self._midnight.get(day)
        if text is None:
            text = self._midnight[day] = day_text(day)
        return text

    def _count(self, kind: str, n: int = 1) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + n

    # ---- reference data ----------------------------------------------------------------------
    def centros(self, n: int) -> list[str]:
        lines = []
        now = self._ts(self.now)
        for i in range(n):
            cid = self._id("a")
            city, region = _CITIES[i % len(_CITIES)]
            codigo = f"SY{self.tag.upper()}-{i + 1:03d}"
            lines.append(f"{cid}\tCentro de Formación {i + 1} de {city}\t{codigo}\t"
                         f"Calle {10 + i} # {i % 50}-{i % 90}\t60{i:08d}\t{city}\t{region}\tt\t"
                         f"{now}\t{now}\n")
            self.people.centros.append((cid, city, region))
            self.people.coordinadores.append([])
            self.people.programas.append([])
        self._count("centros", n)
        return lines

    def users(self, instructores: int, coordinadores_por_centro: int = 2,
              admins: int = 3) -> list[str]:
        lines = []
        now = self._ts(self.now)
        ncentros = len(self.people.centros)
        cedula_base = int(self.tag, 36) % 10**6
        seq = 0

        def add(role: str, centro: int) -> tuple[str, str, str, str]:
            nonlocal seq
            seq += 1
            uid = self._id("u")
            name = self._names[seq % len(self._names)]
            cedula = f"7{cedula_base:06d}{seq:06d}"
            email = f"{role.lower()}.{seq}.{self.tag}@sena.edu.co"
            lines.append(f"{uid}\t{email}\t{self.password}\t{name}\t{cedula}\t3{seq:09d}\t{role}\t"
                         f"{self.people.centros[centro][0]}\tFormación complementaria\tt\t{now}\t"
                         f"{now}\n")
            return uid, name, cedula, email

        for i in range(admins):
            add("ADMIN", i % ncentros)
        for c in range(ncentros):
            for _ in range(coordinadores_por_centro):
                uid, name, _c, _e = add("COORDINADOR", c)
                self.people.coordinadores[c].append((uid, name))
        for i in range(instructores):
            c = i % ncentros
            uid, name, cedula, email = add("INSTRUCTOR", c)
            self.people.instructors.append((uid, c, name, cedula, email))
        self._count("usuarios", seq)
        return lines

    def programas(self, n: int) -> tuple[list[str], list[str], list[str], list[str]]:
        progs, objs, comps, ress = [], [], [], []
        now = self._ts(self.now)
        ncentros = len(self.people.centros)
        rnd = self.rnd
        for i in range(n):
            pid = self._id("p")
            c = i % ncentros
            tipo = "COMPLEMENTARIA" if i < ncentros else rnd.choice(_TIPOS)
            modalidad = rnd.choice(_MODALIDADES)
            horas = rnd.choice((20, 40, 40, 48, 60, 80, 120))
            cupo = rnd.choice((20, 25, 30, 30, 35, 40))
            topic = f"{_TOPICS[i % len(_TOPICS)]} {_LEVELS[i // len(_TOPICS) % len(_LEVELS)]}"
            codigo = f"SY{self.tag.upper()}-P{i + 1:05d}"
            progs.append(f"{pid}\t{codigo}\t{topic} ({i + 1})\t{tipo}\t{modalidad}\t{horas}\t"
                         f"{cupo}\tPrograma de {topic.lower()}.\t{self.people.centros[c][0]}\tt\t"
                         f"{now}\t{now}\n")
            if tipo == "COMPLEMENTARIA":
                self.people.programas[c].append((pid, codigo, horas, cupo, modalidad))
            for k in range(1, rnd.randint(2, 5) + 1):
                objs.append(f"{self._id('o')}\tObjetivo {k} de {topic.lower()}\t{pid}\t{k}\n")
            for k in range(1, rnd.randint(1, 4) + 1):
                comps.append(f"{self._id('k')}\tCompetencia {k} en {topic.lower()}\tCOM-{k:03d}\t"
                             f"{pid}\n")
            for k in range(1, rnd.randint(1, 4) + 1):
                ress.append(f"{self._id('r')}\tResultado {k} de {topic.lower()}\tRA-{k:03d}\t"
                            f"{pid}\n")
        self._count("programas", n)
        self._count("objetivos", len(objs))
        self._count("competencias", len(comps))
        self._count("resultados", len(ress))
        return progs, objs, comps, ress

    def estado_for(self, created: int) -> str:
        cum = _CUM_NEW if self.now - created < 60 * DAY else _CUM_OLD
        return ESTADOS[bisect.bisect(cum, self.rnd.random() * cum[-1])]

    @staticmethod
    def flags(rnd: random.Random) -> str:
        """At most one of the flag columns on (each one in 1 of 5×their number)."""
        return _FLAG_TEXTS[int(rnd.random() * len(_FLAG_TEXTS))]

    @staticmethod
    def ambiente(rnd: random.Random) -> str:
        return TIPOS_AMBIENTE[int(rnd.random() * len(TIPOS_AMBIENTE))]

    @staticmethod
    def company(rnd: random.Random) -> str:
        r = rnd.random
        return (f"{_COMPANY[int(r() * len(_COMPANY))]} {_COMPANY2[int(r() * len(_COMPANY2))]} "
                f"{1 + int(r() * 999)} S.A.S.")

    @staticmethod
    def weekday(day: int) -> str:
        return DIAS[(day + 3) % 7]  # 1970-01-01 was a Thursday
