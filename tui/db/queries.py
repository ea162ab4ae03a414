"""The named SQL queries of sql/queries/, loaded once with aiosql.

`Q` runs on synchronous psycopg connections (CLI, migrations, seeds); `AQ` on async ones
(services, the TUI). Both hold the same queries under the same names: `Q.<file>.<name>`.
Rows come back as the connection's row factory gives them; the pool uses dict rows.
"""

from __future__ import annotations

from typing import Any

import aiosql

from tui.paths import QUERIES_DIR

Q: Any = aiosql.from_path(QUERIES_DIR, "psycopg", mandatory_parameters=False)
AQ: Any = aiosql.from_path(QUERIES_DIR, "apsycopg", mandatory_parameters=False)
