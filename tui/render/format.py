"""How exported values are written for Spanish readers: numbers with thousands dots and
decimal commas, plurals, Bogotá dates, and the CSV dialects.

Every export (PDF, XLSX, CSV) and every message about one formats through these functions, so
«1 horario», «2 horarios», «1.234» and «44,4 %» read the same everywhere.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from tui.services.tz import BOGOTA


def numero(value: float, decimals: int | None = None) -> str:
    """«1.234», «44,4». `decimals=None`: integers as such, other numbers with up to two
    decimals and no trailing zeros."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 2
        text = f"{value:,.{decimals}f}"
        if decimals:
            text = text.rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def porcentaje(value: float) -> str:
    return f"{numero(value, 1)} %"


def plural(n: int, singular: str, plural_: str | None = None) -> str:
    """«1 horario», «2 horarios», «0 horarios»; `plural_` for irregular words
    («1 solicitud exportada» needs «solicitudes exportadas»)."""
    word = singular if n == 1 else (plural_ or singular + "s")
    return f"{numero(n)} {word}"


def local_date(value: date | datetime | None, instant: bool) -> date | None:
    """The date a reader in Colombia sees. An `instant` (fechaSolicitud, fechaRevision…,
    stored as UTC) becomes its Bogotá date; a date-only field (stored as midnight UTC, as the
    web app does) stays that date."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return local_datetime(value).date() if instant else value.date()
    return value


def local_datetime(value: datetime) -> datetime:
    return value.replace(tzinfo=value.tzinfo or UTC).astimezone(BOGOTA)


def stamp(now: datetime | None = None) -> str:
    """«20261206-1830»: the Bogotá time in default file names."""
    return f"{local_datetime(now or datetime.now(UTC)):%Y%m%d-%H%M}"


# ---- CSV dialects ------------------------------------------------------------------------------
@dataclass(frozen=True)
class CsvDialect:
    name: str
    delimiter: str
    decimal: str
    label: str


CSV_DIALECTS = {
    "excel-es": CsvDialect("excel-es", ";", ",", "Excel en español: «;» y coma decimal"),
    "rfc4180": CsvDialect("rfc4180", ",", ".", "RFC 4180: «,» y punto decimal"),
}
CSV_ENV = "COMPLEMENTARIAS_CSV_DIALECT"


def default_csv_dialect(env: Mapping[str, str] | None = None) -> str:
    """`COMPLEMENTARIAS_CSV_DIALECT` when set; otherwise the locale of numbers (LC_ALL,
    LC_NUMERIC, LANG, the first one set): a non-Spanish language (en_US.UTF-8, pt_BR…) gets
    rfc4180; Spanish, C/POSIX or no locale get excel-es, since this is a Spanish app and
    its users open the files in Excel configured for Colombia."""
    env = os.environ if env is None else env
    chosen = (env.get(CSV_ENV) or "").strip().lower()
    if chosen in CSV_DIALECTS:
        return chosen
    for var in ("LC_ALL", "LC_NUMERIC", "LANG"):
        value = (env.get(var) or "").strip()
        if value:
            lang = value.split(".")[0].split("_")[0].lower()
            return "excel-es" if lang in ("es", "c", "posix") else "rfc4180"
    return "excel-es"


def csv_value(value: Any, dialect: CsvDialect) -> Any:
    """A CSV cell: dates dd/mm/aaaa, decimals with the dialect's decimal mark (no thousands
    separator, so a spreadsheet reads the number), text unchanged."""
    if isinstance(value, (date, datetime)):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return "Sí" if value else "No"
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".") if not value.is_integer() else \
            str(int(value))
        return text.replace(".", dialect.decimal)
    return value


def csv_writer(file: Any, dialect: CsvDialect) -> Any:
    import csv  # here: the app's start imports this module for its formatting alone

    return csv.writer(file, delimiter=dialect.delimiter, quotechar='"',
                      quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
