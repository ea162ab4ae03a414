"""The migrated `public` schema is exactly the Prisma schema of /work/shared/SCHEMA.md.

SCHEMA.md is restated below as Python literals (nothing is parsed at test time) and compared
with what the catalogs of a migrated database report: tables, columns (order, type,
nullability, default), primary keys, unique indexes, foreign keys, enums, and the absence of
anything else, with the one allowed trigger and the allowed `cx_` indexes.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

# ---------------------------------------------------------------------------------------------
# SCHEMA.md as literals. Types as format_type() reports them; defaults as PostgreSQL stores
# them (information_schema.columns.column_default); None means "no default".
# ---------------------------------------------------------------------------------------------

TEXT = "text"
INT = "integer"
BOOL = "boolean"
TS = "timestamp(3) without time zone"
NOT_NULL = False  # is_nullable
NULL = True
NOW = "CURRENT_TIMESTAMP"

# table -> ordered [(column, type, nullable, default)]
COLUMNS: dict[str, list[tuple[str, str, bool, str | None]]] = {
    "users": [
        ("id", TEXT, NOT_NULL, None),
        ("email", TEXT, NOT_NULL, None),
        ("password", TEXT, NOT_NULL, None),
        ("name", TEXT, NOT_NULL, None),
        ("cedula", TEXT, NOT_NULL, None),
        ("telefono", TEXT, NULL, None),
        ("role", '"Role"', NOT_NULL, "'INSTRUCTOR'::\"Role\""),
        ("centroId", TEXT, NOT_NULL, None),
        ("especialidad", TEXT, NULL, None),
        ("isActive", BOOL, NOT_NULL, "true"),
        ("createdAt", TS, NOT_NULL, NOW),
        ("updatedAt", TS, NOT_NULL, None),
    ],
    "centros": [
        ("id", TEXT, NOT_NULL, None),
        ("nombre", TEXT, NOT_NULL, None),
        ("codigo", TEXT, NOT_NULL, None),
        ("direccion", TEXT, NULL, None),
        ("telefono", TEXT, NULL, None),
        ("ciudad", TEXT, NOT_NULL, None),
        ("region", TEXT, NOT_NULL, None),
        ("isActive", BOOL, NOT_NULL, "true"),
        ("createdAt", TS, NOT_NULL, NOW),
        ("updatedAt", TS, NOT_NULL, None),
    ],
    "programas": [
        ("id", TEXT, NOT_NULL, None),
        ("codigo", TEXT, NOT_NULL, None),
        ("nombre", TEXT, NOT_NULL, None),
        ("tipoFormacion", '"TipoFormacion"', NOT_NULL, None),
        ("modalidad", '"Modalidad"', NOT_NULL, None),
        ("duracionHoras", INT, NOT_NULL, None),
        ("cupoAprendices", INT, NOT_NULL, None),
        ("descripcion", TEXT, NULL, None),
        ("centroId", TEXT, NOT_NULL, None),
        ("isActive", BOOL, NOT_NULL, "true"),
        ("createdAt", TS, NOT_NULL, NOW),
        ("updatedAt", TS, NOT_NULL, None),
    ],
    "objetivos_aprendizaje": [
        ("id", TEXT, NOT_NULL, None),
        ("descripcion", TEXT, NOT_NULL, None),
        ("programaId", TEXT, NOT_NULL, None),
        ("orden", INT, NOT_NULL, "1"),
    ],
    "competencias": [
        ("id", TEXT, NOT_NULL, None),
        ("descripcion", TEXT, NOT_NULL, None),
        ("codigo", TEXT, NULL, None),
        ("programaId", TEXT, NOT_NULL, None),
    ],
    "resultados_aprendizaje": [
        ("id", TEXT, NOT_NULL, None),
        ("descripcion", TEXT, NOT_NULL, None),
        ("codigo", TEXT, NULL, None),
        ("programaId", TEXT, NOT_NULL, None),
    ],
    "solicitudes": [
        ("id", TEXT, NOT_NULL, None),                                   # 1
        ("codigo", TEXT, NOT_NULL, None),
        ("instructorId", TEXT, NOT_NULL, None),
        ("programaId", TEXT, NOT_NULL, None),
        ("fechaCaracterizacion", TS, NULL, None),                       # 5
        ("responsableNombre", TEXT, NOT_NULL, None),
        ("responsableCedula", TEXT, NOT_NULL, None),
        ("responsableEmail", TEXT, NOT_NULL, None),
        ("codigoPrograma", TEXT, NOT_NULL, None),
        ("versionPrograma", TEXT, NOT_NULL, "'1'::text"),               # 10
        ("duracionMaxima", INT, NOT_NULL, None),
        ("cupoMaximo", INT, NOT_NULL, None),
        ("numeroAprendicesInscribir", INT, NOT_NULL, None),
        ("modalidad", '"Modalidad"', NOT_NULL, None),
        ("municipio", TEXT, NOT_NULL, None),                            # 15
        ("departamento", TEXT, NOT_NULL, None),
        ("nombreEmpresa", TEXT, NOT_NULL, None),
        ("nitEmpresa", TEXT, NULL, None),
        ("codigoEmpresa", TEXT, NULL, None),
        ("representanteLegal", TEXT, NOT_NULL, None),                   # 20
        ("fechaCreacionEmpresa", TS, NULL, None),
        ("direccionEmpresa", TEXT, NOT_NULL, None),
        ("telefonosEmpresa", TEXT, NULL, None),
        ("lugarFormacion", TEXT, NOT_NULL, None),
        ("tipoAmbiente", TEXT, NOT_NULL, None),                         # 25
        ("programaEmprendimiento", BOOL, NOT_NULL, "false"),
        ("programaBilinguismo", BOOL, NOT_NULL, "false"),
        ("atencionInstituciones", BOOL, NOT_NULL, "false"),
        ("posconflicto", BOOL, NOT_NULL, "false"),
        ("senaEmprendeRural", BOOL, NOT_NULL, "false"),                 # 30
        ("formacionEspecialMypimes", BOOL, NOT_NULL, "false"),
        ("senaEmprendeRuralPosconflicto", BOOL, NOT_NULL, "false"),
        ("tecnoacademiaSennova", BOOL, NOT_NULL, "false"),
        ("campesenaConvenio8842", BOOL, NOT_NULL, "false"),
        ("fullPopularConvenio8882", BOOL, NOT_NULL, "false"),           # 35
        ("icbfInstituto", BOOL, NOT_NULL, "false"),
        ("policiaNacional", BOOL, NOT_NULL, "false"),
        ("otroEspecificar", TEXT, NULL, None),
        ("inicioInscripcion", TS, NOT_NULL, None),
        ("finalizacionInscripcion", TS, NOT_NULL, None),                # 40
        ("fechaInicioCurso", TS, NOT_NULL, None),
        ("fechaFinalizacionCurso", TS, NOT_NULL, None),
        ("justificacion", TEXT, NOT_NULL, None),
        ("objetivosPersonalizados", "text[]", NULL, None),
        ("resultadosEsperados", TEXT, NULL, None),                      # 45
        ("observaciones", TEXT, NULL, None),
        ("cumpleRequisitos", BOOL, NOT_NULL, "false"),
        ("autorizaUsoInfo", BOOL, NOT_NULL, "false"),
        ("confirmaVeracidad", BOOL, NOT_NULL, "false"),
        ("estado", '"EstadoSolicitud"', NOT_NULL, "'BORRADOR'::\"EstadoSolicitud\""),  # 50
        ("fechaSolicitud", TS, NOT_NULL, NOW),
        ("fechaRevision", TS, NULL, None),
        ("fechaAprobacion", TS, NULL, None),
        ("comentariosRevision", TEXT, NULL, None),
        ("firmaInstructorResponsable", TEXT, NULL, None),               # 55
        ("firmaCoordinadorAcademico", TEXT, NULL, None),
        ("versionDocumento", TEXT, NOT_NULL, "'1'::text"),
        ("codigoFormato", TEXT, NOT_NULL, "'F11-3030-003/03-06'::text"),
        ("numeroFicha", TEXT, NULL, None),
        ("createdAt", TS, NOT_NULL, NOW),                               # 60
        ("updatedAt", TS, NOT_NULL, None),
    ],
    "horarios_detallados": [
        ("id", TEXT, NOT_NULL, None),
        ("solicitudId", TEXT, NOT_NULL, None),
        ("diaSemana", '"DiaSemana"', NOT_NULL, None),
        ("fecha", TS, NULL, None),
        ("horaInicio", TEXT, NOT_NULL, None),
        ("horaFin", TEXT, NOT_NULL, None),
        ("esFlexible", BOOL, NOT_NULL, "true"),
        ("observaciones", TEXT, NULL, None),
    ],
    "notificaciones": [
        ("id", TEXT, NOT_NULL, None),
        ("tipo", '"TipoNotificacion"', NOT_NULL, None),
        ("titulo", TEXT, NOT_NULL, None),
        ("mensaje", TEXT, NOT_NULL, None),
        ("leida", BOOL, NOT_NULL, "false"),
        ("fechaCreada", TS, NOT_NULL, NOW),
        ("usuarioId", TEXT, NOT_NULL, None),
        ("solicitudId", TEXT, NULL, None),
    ],
}

TABLES = set(COLUMNS)

# Every primary key: (table, name, [columns])
PRIMARY_KEYS = {(t, f"{t}_pkey", ("id",)) for t in COLUMNS}

# The 6 unique indexes: name -> (table, column)
UNIQUE_INDEXES = {
    "users_email_key": ("users", "email"),
    "users_cedula_key": ("users", "cedula"),
    "centros_codigo_key": ("centros", "codigo"),
    "programas_codigo_key": ("programas", "codigo"),
    "solicitudes_codigo_key": ("solicitudes", "codigo"),
    "solicitudes_numeroFicha_key": ("solicitudes", "numeroFicha"),
}

# The 10 foreign keys: name -> (table, column, referenced table, ON DELETE, ON UPDATE).
# pg_constraint codes: r = RESTRICT, c = CASCADE, n = SET NULL (a = NO ACTION, d = SET DEFAULT).
FOREIGN_KEYS = {
    "users_centroId_fkey": ("users", "centroId", "centros", "r", "c"),
    "programas_centroId_fkey": ("programas", "centroId", "centros", "r", "c"),
    "objetivos_aprendizaje_programaId_fkey":
        ("objetivos_aprendizaje", "programaId", "programas", "r", "c"),
    "competencias_programaId_fkey": ("competencias", "programaId", "programas", "r", "c"),
    "resultados_aprendizaje_programaId_fkey":
        ("resultados_aprendizaje", "programaId", "programas", "r", "c"),
    "solicitudes_instructorId_fkey": ("solicitudes", "instructorId", "users", "r", "c"),
    "solicitudes_programaId_fkey": ("solicitudes", "programaId", "programas", "r", "c"),
    "horarios_detallados_solicitudId_fkey":
        ("horarios_detallados", "solicitudId", "solicitudes", "c", "c"),
    "notificaciones_usuarioId_fkey": ("notificaciones", "usuarioId", "users", "r", "c"),
    "notificaciones_solicitudId_fkey":
        ("notificaciones", "solicitudId", "solicitudes", "n", "c"),
}

ENUMS = {
    "Role": ["INSTRUCTOR", "COORDINADOR", "ADMIN"],
    "TipoFormacion": ["COMPLEMENTARIA", "TRANSVERSAL", "ESPECIFICA", "VIRTUAL"],
    "Modalidad": ["PRESENCIAL", "VIRTUAL", "MIXTA", "DESESCOLARIZADA", "COMBINADA"],
    "EstadoSolicitud": ["BORRADOR", "PENDIENTE", "EN_REVISION", "APROBADA", "RECHAZADA",
                        "CANCELADA"],
    "DiaSemana": ["LUNES", "MARTES", "MIERCOLES", "JUEVES", "VIERNES", "SABADO", "DOMINGO"],
    "TipoNotificacion": ["NUEVA_SOLICITUD", "SOLICITUD_APROBADA", "SOLICITUD_RECHAZADA",
                         "SOLICITUD_REVISION", "ASIGNACION_FICHA", "RECORDATORIO", "SISTEMA"],
}

TRIGGER = "cx_notificaciones_notify"


# ---------------------------------------------------------------------------------------------
# Catalog helpers
# ---------------------------------------------------------------------------------------------

def rows(conn: psycopg.Connection[Any], query: str, params: Any = None) -> list[tuple[Any, ...]]:
    return conn.execute(query, params).fetchall()


def actual_columns(conn: psycopg.Connection[Any]) -> dict[str, list[tuple[str, str, bool, Any]]]:
    result: dict[str, list[tuple[str, str, bool, Any]]] = {}
    for table, name, typ, nullable, default in rows(conn, """
        SELECT c.table_name, c.column_name, format_type(a.atttypid, a.atttypmod),
               c.is_nullable = 'YES', c.column_default
          FROM information_schema.columns c
          JOIN pg_attribute a
            ON a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass
           AND a.attname = c.column_name
         WHERE c.table_schema = 'public'
         ORDER BY c.table_name, c.ordinal_position
    """):
        result.setdefault(table, []).append((name, typ, nullable, default))
    return result


def index_info(conn: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    """Every index in public with what matters to compare it."""
    return [dict(zip(
        ("name", "table", "unique", "primary", "columns", "has_predicate", "has_exprs",
         "n_key", "n_all", "am", "constraint_type", "definition"), r, strict=False))
        for r in rows(conn, """
        SELECT i.relname, t.relname, x.indisunique, x.indisprimary,
               ARRAY(SELECT a.attname FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(n, o)
                       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n
                      ORDER BY k.o)::text[],
               x.indpred IS NOT NULL, x.indexprs IS NOT NULL, x.indnkeyatts, x.indnatts,
               am.amname,
               (SELECT con.contype FROM pg_constraint con WHERE con.conindid = i.oid
                   AND con.contype IN ('p', 'u', 'x')),
               pg_get_indexdef(i.oid)
          FROM pg_index x
          JOIN pg_class i ON i.oid = x.indexrelid
          JOIN pg_class t ON t.oid = x.indrelid
          JOIN pg_am am ON am.oid = i.relam
         WHERE t.relnamespace = 'public'::regnamespace
         ORDER BY i.relname
    """)]


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------

def test_literals_restate_the_documented_totals() -> None:
    assert len(COLUMNS) == 9
    assert sum(len(cols) for cols in COLUMNS.values()) == 123
    assert {t: len(c) for t, c in COLUMNS.items()} == {
        "users": 12, "centros": 10, "programas": 12, "objetivos_aprendizaje": 4,
        "competencias": 4, "resultados_aprendizaje": 4, "solicitudes": 61,
        "horarios_detallados": 8, "notificaciones": 8,
    }
    assert len(PRIMARY_KEYS) == 9
    assert len(UNIQUE_INDEXES) == 6
    assert len(FOREIGN_KEYS) == 10
    assert len(ENUMS) == 6


def test_public_holds_exactly_the_nine_tables_and_nothing_else(
    conn: psycopg.Connection[Any],
) -> None:
    relations = rows(conn, """
        SELECT relname, relkind FROM pg_class
         WHERE relnamespace = 'public'::regnamespace AND relkind <> 'i'
         ORDER BY relname
    """)
    # Only ordinary tables: no views, materialized views, sequences, foreign or partitioned
    # tables, composite types.
    assert relations == sorted((t, "r") for t in TABLES)
    info = rows(conn, """
        SELECT table_name, table_type FROM information_schema.tables
         WHERE table_schema = 'public' ORDER BY table_name
    """)
    assert info == sorted((t, "BASE TABLE") for t in TABLES)
    assert rows(conn, "SELECT sequence_name FROM information_schema.sequences "
                      "WHERE sequence_schema = 'public'") == []


def test_no_functions_procedures_or_comments_in_public(conn: psycopg.Connection[Any]) -> None:
    assert rows(conn, "SELECT proname FROM pg_proc "
                      "WHERE pronamespace = 'public'::regnamespace") == []
    # No comment on the tables, their columns or the types of public.
    assert rows(conn, """
        SELECT d.objoid, d.objsubid FROM pg_description d
         WHERE (d.classoid = 'pg_class'::regclass AND d.objoid IN
                   (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace))
            OR (d.classoid = 'pg_type'::regclass AND d.objoid IN
                   (SELECT oid FROM pg_type WHERE typnamespace = 'public'::regnamespace))
            OR (d.classoid = 'pg_constraint'::regclass AND d.objoid IN
                   (SELECT oid FROM pg_constraint WHERE connamespace = 'public'::regnamespace))
    """) == []


def test_no_identity_or_generated_columns(conn: psycopg.Connection[Any]) -> None:
    assert rows(conn, """
        SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = 'public'
           AND (is_identity = 'YES' OR is_generated <> 'NEVER')
    """) == []


@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_columns_of_each_table(conn: psycopg.Connection[Any], table: str) -> None:
    actual = actual_columns(conn)
    assert actual.get(table) == COLUMNS[table]


def test_all_columns_at_once_and_total(conn: psycopg.Connection[Any]) -> None:
    actual = actual_columns(conn)
    assert actual == COLUMNS
    assert sum(len(c) for c in actual.values()) == 123


def test_column_order_is_attnum_order_without_gaps(conn: psycopg.Connection[Any]) -> None:
    # ordinal_position follows attnum; a dropped-and-re-added column would leave a gap.
    for table, cols in COLUMNS.items():
        got = rows(conn, """
            SELECT attnum, attname FROM pg_attribute
             WHERE attrelid = %s::regclass AND attnum > 0
             ORDER BY attnum
        """, (f'public."{table}"',))
        assert got == [(i, c[0]) for i, c in enumerate(cols, start=1)], table


def test_primary_keys(conn: psycopg.Connection[Any]) -> None:
    pks = rows(conn, """
        SELECT t.relname, c.conname,
               ARRAY(SELECT a.attname FROM unnest(c.conkey) k(n)
                       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n)::text[]
          FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
         WHERE c.connamespace = 'public'::regnamespace AND c.contype = 'p'
    """)
    assert {(t, n, tuple(cols)) for t, n, cols in pks} == PRIMARY_KEYS
    assert len(pks) == 9
    # The PK indexes are plain b-tree unique indexes named like the constraint.
    pk_indexes = {i["name"]: i for i in index_info(conn) if i["primary"]}
    assert set(pk_indexes) == {f"{t}_pkey" for t in TABLES}
    for idx in pk_indexes.values():
        assert idx["columns"] == ["id"]
        assert idx["am"] == "btree" and not idx["has_predicate"] and not idx["has_exprs"]


def test_the_six_unique_indexes(conn: psycopg.Connection[Any]) -> None:
    uniques = [i for i in index_info(conn) if i["unique"] and not i["primary"]]
    assert {i["name"]: (i["table"], i["columns"][0]) for i in uniques} == UNIQUE_INDEXES
    assert len(uniques) == 6
    for idx in uniques:
        name = idx["name"]
        assert len(idx["columns"]) == 1, name
        assert idx["am"] == "btree", name
        assert not idx["has_predicate"], name          # no WHERE
        assert not idx["has_exprs"], name              # no expression
        assert idx["n_key"] == idx["n_all"] == 1, name  # no INCLUDE
        assert idx["constraint_type"] is None, name    # an index, not a UNIQUE constraint
        table, column = UNIQUE_INDEXES[name]
        quoted_name = f'"{name}"' if name != name.lower() else name
        quoted_col = f'"{column}"' if column != column.lower() else column
        # Also pins the default operator class and ordering.
        assert idx["definition"] == (
            f"CREATE UNIQUE INDEX {quoted_name} ON public.{table} USING btree ({quoted_col})"
        )


def test_every_other_index_is_a_non_unique_cx_index(conn: psycopg.Connection[Any]) -> None:
    others = [i for i in index_info(conn)
              if not i["primary"] and i["name"] not in UNIQUE_INDEXES]
    assert others, "post-apply.sql should have created the cx_ indexes"
    for idx in others:
        assert idx["name"].startswith("cx_"), idx["name"]
        assert len(idx["name"]) <= 63
        assert not idx["unique"], idx["name"]
        assert idx["am"] in ("btree", "gin"), idx["name"]
        assert idx["constraint_type"] is None, idx["name"]
        if idx["am"] == "gin":  # search on a folded expression, all in complementarias:
            # trigrams, or a solicitud's neighbouring-word pairs (0007_rare_search)
            assert idx["name"].endswith(("_trgm_idx", "_pares_idx")), idx["name"]
    # Unique indexes in total: the 9 PKs + the 6 unique ones.
    assert sum(1 for i in index_info(conn) if i["unique"]) == 15


def test_the_ten_foreign_keys(conn: psycopg.Connection[Any]) -> None:
    fks = rows(conn, """
        SELECT c.conname, t.relname,
               ARRAY(SELECT a.attname FROM unnest(c.conkey) k(n)
                       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n)::text[],
               r.relname, r.relnamespace::regnamespace::text,
               ARRAY(SELECT a.attname FROM unnest(c.confkey) k(n)
                       JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n)::text[],
               c.confdeltype::text, c.confupdtype::text, c.confmatchtype::text,
               c.condeferrable, c.condeferred, c.convalidated
          FROM pg_constraint c
          JOIN pg_class t ON t.oid = c.conrelid
          JOIN pg_class r ON r.oid = c.confrelid
         WHERE c.connamespace = 'public'::regnamespace AND c.contype = 'f'
    """)
    assert len(fks) == 10
    got = {}
    for name, table, cols, ref, ref_schema, ref_cols, on_del, on_upd, match, deferrable, \
            deferred, validated in fks:
        assert len(cols) == 1, name
        assert ref_schema == "public", name
        assert ref_cols == ["id"], name
        assert match == "s", name  # MATCH SIMPLE
        assert not deferrable and not deferred, name
        assert validated, name
        got[name] = (table, cols[0], ref, on_del, on_upd)
    assert got == FOREIGN_KEYS


def test_the_six_enums_with_values_in_order(conn: psycopg.Connection[Any]) -> None:
    found: dict[str, list[str]] = {}
    for typname, label in rows(conn, """
        SELECT t.typname, e.enumlabel
          FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
         WHERE t.typnamespace = 'public'::regnamespace
         ORDER BY t.typname, e.enumsortorder
    """):
        found.setdefault(typname, []).append(label)
    assert found == ENUMS
    assert len(found) == 6
    # The sort order really is the listed order (enumsortorder, not just label order).
    for name, values in ENUMS.items():
        query = f'SELECT unnest(enum_range(NULL::public."{name}"))::text'
        ordered = [r[0] for r in rows(conn, query)]
        assert ordered == values, name


def test_public_types_are_only_enums_and_row_types(conn: psycopg.Connection[Any]) -> None:
    types = rows(conn, """
        SELECT t.typname, t.typtype::text, COALESCE(c.relname, ''),
               COALESCE(el.typname, '')
          FROM pg_type t
          LEFT JOIN pg_class c ON c.oid = t.typrelid
          LEFT JOIN pg_type el ON el.oid = t.typelem AND t.typcategory = 'A'
         WHERE t.typnamespace = 'public'::regnamespace
    """)
    allowed_base = set(ENUMS) | TABLES
    for name, typtype, relname, elem in types:
        if typtype == "e":
            assert name in ENUMS
        elif typtype == "c":
            assert relname in TABLES, name  # a table's row type, not CREATE TYPE ... AS
        elif typtype == "b" and elem:
            assert elem in allowed_base, name  # the implicit array type
        else:
            pytest.fail(f"unexpected type in public: {name} ({typtype})")
    assert sum(1 for t in types if t[1] == "e") == 6
    assert rows(conn, "SELECT typname FROM pg_type WHERE typnamespace = 'public'::regnamespace "
                      "AND typtype = 'd'") == []


def test_no_check_unique_or_exclusion_constraints(conn: psycopg.Connection[Any]) -> None:
    kinds = rows(conn, """
        SELECT contype::text, count(*) FROM pg_constraint
         WHERE connamespace = 'public'::regnamespace
         GROUP BY contype ORDER BY contype
    """)
    counts = dict(kinds)
    assert counts.pop("p") == 9
    assert counts.pop("f") == 10
    # PostgreSQL 18 records each NOT NULL as a constraint of kind 'n'; nothing else may exist
    # (no CHECK 'c', UNIQUE 'u', EXCLUDE 'x', constraint trigger 't').
    not_null = sum(1 for cols in COLUMNS.values() for c in cols if not c[2])
    if "n" in counts:
        assert counts.pop("n") == not_null
    assert counts == {}


SUMMARY_TRIGGERS = {
    "cx_solicitudes_resumen_ins": "AFTER INSERT ON public.solicitudes REFERENCING NEW TABLE AS "
                                  "nuevas",
    "cx_solicitudes_resumen_upd": "AFTER UPDATE ON public.solicitudes REFERENCING OLD TABLE AS "
                                  "viejas NEW TABLE AS nuevas",
    "cx_solicitudes_resumen_del": "AFTER DELETE ON public.solicitudes REFERENCING OLD TABLE AS "
                                  "viejas",
}


def test_only_the_notification_and_summary_triggers(conn: psycopg.Connection[Any]) -> None:
    triggers = {r[0]: r[1:] for r in rows(conn, """
        SELECT t.tgname, c.relname, p.proname, p.pronamespace::regnamespace::text,
               pg_get_triggerdef(t.oid), t.tgenabled::text
          FROM pg_trigger t
          JOIN pg_class c ON c.oid = t.tgrelid
          JOIN pg_proc p ON p.oid = t.tgfoid
         WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
    """)}
    assert set(triggers) == {TRIGGER, *SUMMARY_TRIGGERS}
    table, func, func_schema, definition, enabled = triggers.pop(TRIGGER)
    assert table == "notificaciones"
    assert func_schema == "complementarias"
    assert enabled == "O"
    assert definition == (
        "CREATE TRIGGER cx_notificaciones_notify AFTER INSERT ON public.notificaciones "
        f"FOR EACH ROW EXECUTE FUNCTION complementarias.{func}()"
    )
    for name, (table, _func, func_schema, definition, enabled) in triggers.items():
        assert (table, func_schema, enabled) == ("solicitudes", "complementarias", "O")
        assert definition == (f"CREATE TRIGGER {name} {SUMMARY_TRIGGERS[name]} FOR EACH "
                              f"STATEMENT EXECUTE FUNCTION complementarias.resumen_trigger()")
    # No event triggers or rules either.
    assert rows(conn, "SELECT rulename FROM pg_rules WHERE schemaname = 'public'") == []


def test_search_objects_live_in_complementarias(conn: psycopg.Connection[Any]) -> None:
    """Extensions, the fold functions and the trigram operator classes are ours, not
    public's; fold() is IMMUTABLE and folds accents and case."""
    assert dict(rows(conn, """
        SELECT e.extname, n.nspname FROM pg_extension e
          JOIN pg_namespace n ON n.oid = e.extnamespace
         WHERE e.extname IN ('pg_trgm', 'unaccent')""")) == {
        "pg_trgm": "complementarias", "unaccent": "complementarias"}
    assert rows(conn, """
        SELECT p.proname, p.provolatile::text FROM pg_proc p
         WHERE p.pronamespace = 'complementarias'::regnamespace
           AND p.proname IN ('fold', 'fold_all') ORDER BY 1""") == [
        ("fold", "i"), ("fold_all", "i")]
    assert rows(conn, "SELECT complementarias.fold('Rodríguez ÑANDÚ Ávila')") == [
        ("rodriguez nandu avila",)]
    for (definition,) in rows(conn, """
            SELECT indexdef FROM pg_indexes
             WHERE schemaname = 'public' AND indexname LIKE 'cx\\_%trgm\\_idx'"""):
        assert ("USING gin (complementarias.fold_all(" in definition
                or "USING gin (complementarias.frase_solicitud(" in definition), definition
        assert "complementarias.gin_trgm_ops" in definition


def test_totals(conn: psycopg.Connection[Any]) -> None:
    (tables, columns, pks, uniques, fks, enums), = rows(conn, """
        SELECT
          (SELECT count(*) FROM pg_class
            WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'),
          (SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'),
          (SELECT count(*) FROM pg_constraint
            WHERE connamespace = 'public'::regnamespace AND contype = 'p'),
          (SELECT count(*) FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relnamespace = 'public'::regnamespace
              AND x.indisunique AND NOT x.indisprimary),
          (SELECT count(*) FROM pg_constraint
            WHERE connamespace = 'public'::regnamespace AND contype = 'f'),
          (SELECT count(*) FROM pg_type
            WHERE typnamespace = 'public'::regnamespace AND typtype = 'e')
    """)
    assert (tables, columns, pks, uniques, fks, enums) == (9, 123, 9, 6, 10, 6)


def test_defaults_behave_like_prisma_expects(conn: psycopg.Connection[Any]) -> None:
    """The stored defaults work: an INSERT with only the required columns gets them."""
    with conn.transaction(force_rollback=True):
        conn.execute("""INSERT INTO public.centros ("id","nombre","codigo","ciudad","region",
                        "updatedAt") VALUES ('c1','C','C1','X','Y', now())""")
        conn.execute("""INSERT INTO public.users ("id","email","password","name","cedula",
                        "centroId","updatedAt") VALUES ('u1','a@b','p','N','1','c1', now())""")
        role, active, created = conn.execute(
            'SELECT "role"::text, "isActive", "createdAt" FROM public.users').fetchone()
        assert (role, active) == ("INSTRUCTOR", True)
        assert created is not None
        # timestamp(3): sub-millisecond digits are rounded away.
        assert created.microsecond % 1000 == 0
