"""The domain's vocabulary, defined once (DOMAIN.md): estados, roles and the areas each role
may open, the transitions of the lifecycle, the form's fields, sections and declarations, and
the Spanish label of every enum value a user reads.

Everything else derives from these tables: the services check a transition with
`TRANSITIONS` (`transitions.RULES`), the screens list the actions they offer from the same
rows, the queries receive estado values as parameters from here, the exports and the form lay
out `SECTIONS`. Raw enum names (EN_REVISION, COORDINADOR) never reach a list, a toast or a
message: whatever shows one takes its label from here.

No imports beyond the standard library: the start-up path, the CLI and the tests read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


# ---- estados ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Estado:
    """One value of the EstadoSolicitud enum, in the enum's (and the lifecycle's) order."""

    name: str
    label: str
    tone: str | None = None
    """The theme colour it is shown in (a Textual theme variable: warning, success, error)."""
    short: str = ""
    """Its abbreviation (≤ 5 characters), where the label does not fit (the home tiles beside
    the notifications at 80 columns)."""


ESTADO_LIST: Final = (
    Estado("BORRADOR", "Borrador", short="Borr."),
    Estado("PENDIENTE", "Pendiente", "warning", short="Pend."),
    Estado("EN_REVISION", "En revisión", short="Rev."),
    Estado("APROBADA", "Aprobada", "success", short="Apr."),
    Estado("RECHAZADA", "Rechazada", "error", short="Rech."),
    Estado("CANCELADA", "Cancelada", short="Canc."),
)
ESTADOS: Final = tuple(e.name for e in ESTADO_LIST)
ESTADO_LABEL: Final = {e.name: e.label for e in ESTADO_LIST}
ESTADO_TONE: Final = {e.name: e.tone for e in ESTADO_LIST}
ESTADO_SHORT: Final = {e.name: e.short or e.label for e in ESTADO_LIST}
BORRADOR, PENDIENTE, EN_REVISION, APROBADA, RECHAZADA, CANCELADA = ESTADOS

DRAFT: Final = BORRADOR
"""Private to its author (no one else lists, counts or exports it); saves while typing."""
OPEN: Final = (PENDIENTE, EN_REVISION)
"""Waiting for a decision: the review queue, reminders and the age of the open ones."""
SENT: Final = tuple(e for e in ESTADOS if e != DRAFT)
"""Every estado a coordinator or a report sees (drafts are never reported)."""
COMMITTED: Final = (PENDIENTE, EN_REVISION, APROBADA)
"""An instructor with solicitudes in these can only be deactivated, never deleted."""


def sql_params() -> dict[str, str | list[str]]:
    """The estado values the queries take as parameters, so no query spells one:
    :borrador … :cancelada (each estado, lower-case) and the groups :abiertas (OPEN) and
    :comprometidas (COMMITTED), as arrays."""
    return {**{e.lower(): e for e in ESTADOS}, "abiertas": list(OPEN),
            "comprometidas": list(COMMITTED)}


# ---- roles and the areas each may open -------------------------------------------------------
@dataclass(frozen=True)
class Role:
    name: str
    label: str
    plural: str
    short: str  # the header at 80 columns


ROLE_LIST: Final = (
    Role("INSTRUCTOR", "Instructor", "Instructores", "Instr."),
    Role("COORDINADOR", "Coordinador", "Coordinadores", "Coord."),
    Role("ADMIN", "Administrador", "Administradores", "Admin."),
)
ROLES: Final = tuple(r.name for r in ROLE_LIST)
ROLE_LABEL: Final = {r.name: r.label for r in ROLE_LIST}
ROLE_PLURAL: Final = {r.name: r.plural for r in ROLE_LIST}
ROLE_SHORT: Final = {r.name: r.short for r in ROLE_LIST}
INSTRUCTOR, COORDINADOR, ADMIN = ROLES
REVIEWERS: Final = (COORDINADOR, ADMIN)
"""Review solicitudes of their scope (a coordinador: the programa's centro; an admin: all)."""

AREAS: Final[dict[str, tuple[str, ...]]] = {
    "solicitudes": ROLES,
    "nueva_solicitud": (INSTRUCTOR,),
    "revision": REVIEWERS,
    "informes": REVIEWERS,
    "usuarios": REVIEWERS,
    "programas": REVIEWERS,
    "centros": (ADMIN,),
    "migraciones": (ADMIN,),
    "avisos": (ADMIN,),
    "auditoria": (ADMIN,),
    "claves_ssh": ROLES,
}
"""Which roles may open each area of the app (the menu, the palette and the keys offer only
these; the services check again where the data is read or written)."""


def may_open(role: str | None, area: str) -> bool:
    return role in AREAS[area]


# ---- the lifecycle ---------------------------------------------------------------------------
OWNER, REVIEWER, ADMIN_ONLY = "owner", "reviewer", "admin"
"""Who may take a transition: the solicitud's author, a reviewer of its centro, an admin."""


@dataclass(frozen=True)
class Transition:
    """One row of DOMAIN.md's lifecycle table: from which estados, to which, who, what it asks.

    `action` names it everywhere: the services' `RULES` key and the screens' `sol_<action>`.
    """

    action: str
    label: str                  # the key's and the palette's words
    desde: tuple[str, ...]
    hasta: str | None           # None: the solicitud keeps its estado (edit)
    who: str                    # OWNER | REVIEWER | ADMIN_ONLY
    accion: str = ""            # the history row's words
    creates: bool = False       # a new solicitud in `hasta` (duplicate), this one unchanged
    title: str = ""             # the confirmation dialog: title, question, button
    question: str = ""          # {codigo} and {ficha} are filled in
    button: str = ""
    comment: str | None = None  # the comment asked for (None: none)
    comment_required: str | None = None  # the message when it is left blank (None: optional)
    ficha: bool = False         # asks for the número de ficha

    @property
    def changes_estado(self) -> bool:
        return self.hasta is not None and not self.creates


TRANSITIONS: Final = (
    Transition("edit", "Editar", (BORRADOR, PENDIENTE), None, OWNER),
    Transition("submit", "Enviar a revisión", (BORRADOR,), PENDIENTE, OWNER, "Enviada",
               title="Enviar a revisión", button="Enviar",
               question="¿Enviar la solicitud {codigo} al coordinador? Ya no podrá cambiar el "
                        "programa."),
    Transition("cancel", "Cancelar solicitud", (BORRADOR, PENDIENTE), CANCELADA, OWNER,
               "Cancelada por el instructor", title="Cancelar solicitud",
               question="¿Cancelar la solicitud {codigo}? No se puede deshacer (podrá "
                        "duplicarla).", button="Cancelar solicitud",
               comment="Motivo (opcional)"),
    Transition("duplicate", "Duplicar", (RECHAZADA, CANCELADA), BORRADOR, OWNER, creates=True,
               title="Duplicar", question="¿Crear un borrador nuevo copiando {codigo}?",
               button="Duplicar"),
    Transition("take", "Tomar en revisión", (PENDIENTE,), EN_REVISION, REVIEWER,
               "Tomada en revisión", title="Tomar en revisión", button="Tomar",
               question="¿Tomar {codigo} en revisión? El instructor ya no podrá editarla."),
    Transition("approve", "Aprobar", (PENDIENTE, EN_REVISION), APROBADA, REVIEWER, "Aprobada",
               title="Aprobar solicitud", button="Aprobar",
               question="Aprobar {codigo}. Se propone el siguiente número de ficha del año; "
                        "puede escribir otro (solo dígitos, 7 a 10).",
               comment="Comentarios (opcional)", ficha=True),
    Transition("reject", "Rechazar", (PENDIENTE, EN_REVISION), RECHAZADA, REVIEWER,
               "Rechazada", title="Rechazar", question="¿Rechazar la solicitud {codigo}?",
               button="Rechazar", comment="Comentarios para el instructor",
               comment_required="son obligatorios al rechazar."),
    Transition("return", "Devolver al instructor", (EN_REVISION,), PENDIENTE, REVIEWER,
               "Devuelta al instructor", title="Devolver al instructor",
               question="¿Devolver {codigo} para que la corrija?", button="Devolver",
               comment="Qué debe cambiar",
               comment_required="indique qué debe cambiar el instructor."),
    Transition("admin_cancel", "Cancelar aprobada (admin)", (APROBADA,), CANCELADA,
               ADMIN_ONLY, "Cancelada por el administrador",
               title="Cancelar solicitud aprobada",
               question="¿Cancelar {codigo}, ya aprobada (ficha {ficha})?",
               button="Cancelar aprobada", comment="Motivo",
               comment_required="indique el motivo de la cancelación."),
)
TRANSITION: Final = {t.action: t for t in TRANSITIONS}
EDITABLE_BY_OWNER: Final = TRANSITION["edit"].desde
DUPLICABLE: Final = TRANSITION["duplicate"].desde
CREATED: Final = ("Creada", BORRADOR)
"""The history's first row: a new solicitud (or a duplicate) is a draft."""


def refusal(t: Transition, role: str, is_owner: bool, same_centro: bool = True) -> str | None:
    """Why a user of `role` may not take `t` (the Spanish message), or None if they may.

    `is_owner`: the user wrote the solicitud; `same_centro`: it belongs to a programa of the
    user's centro (what a coordinador lists is always in their centro).
    """
    if t.who == OWNER and not is_owner:
        return "Solo el instructor que creó la solicitud puede hacerlo."
    if t.who == ADMIN_ONLY and role != ADMIN:
        return "Solo un administrador puede hacerlo."
    if t.who == REVIEWER:
        if role not in REVIEWERS:
            return "Solo coordinadores y administradores revisan solicitudes."
        if role == COORDINADOR and not same_centro:
            return "La solicitud es de otro centro de formación."
    return None


def permits(t: Transition, role: str, is_owner: bool, estado: str,
            same_centro: bool = True) -> bool:
    """True if the user may take `t` on a solicitud in `estado`."""
    return estado in t.desde and refusal(t, role, is_owner, same_centro) is None


# ---- other enums -----------------------------------------------------------------------------
MODALIDAD_LABEL: Final = {
    "PRESENCIAL": "Presencial", "VIRTUAL": "Virtual", "MIXTA": "Mixta",
    "DESESCOLARIZADA": "Desescolarizada", "COMBINADA": "Combinada",
}
AMBIENTE_LABEL: Final = {
    "AULA": "Aula", "AULA_MOVIL": "Aula móvil", "LABORATORIO": "Laboratorio",
    "TALLER": "Taller", "CAMPO": "Campo", "EMPRESA": "Empresa",
}
ENUM_LABEL: Final = {**ESTADO_LABEL, **ROLE_LABEL}


def enum_label(value: object) -> object:
    """The label of an estado or role value; anything else unchanged."""
    return ENUM_LABEL.get(value, value) if isinstance(value, str) else value


# ---- the solicitud form: fields, declarations, sections ---------------------------------------
@dataclass(frozen=True)
class Declaration:
    field: str
    label: str
    help: str


DECLARATION_LIST: Final = (
    Declaration("cumpleRequisitos", "Declaración de cumplimiento de requisitos",
                "Declara que la solicitud cumple los requisitos (necesario para enviar)."),
    Declaration("autorizaUsoInfo", "Autorización de uso de la información",
                "Autoriza el uso de la información (necesario para enviar)."),
    Declaration("confirmaVeracidad", "Confirmación de veracidad de la información",
                "Confirma que la información es veraz (necesario para enviar)."),
)
DECLARATIONS: Final = tuple(d.field for d in DECLARATION_LIST)
"""The three declarations: submitting needs all three, saving a draft none."""

FLAG_FIELDS: Final = (
    "programaEmprendimiento", "programaBilinguismo", "atencionInstituciones", "posconflicto",
    "senaEmprendeRural", "formacionEspecialMypimes", "senaEmprendeRuralPosconflicto",
    "tecnoacademiaSennova", "campesenaConvenio8842", "fullPopularConvenio8882", "icbfInstituto",
    "policiaNacional",
)  # fmt: skip
DATE_ORDER: Final = ("inicioInscripcion", "finalizacionInscripcion", "fechaInicioCurso",
                     "fechaFinalizacionCurso")
"""The four dates that must be in this order."""
LISTED_FIELDS: Final = ("programaId", "horarios", "objetivosPersonalizados", *FLAG_FIELDS,
                        *DECLARATIONS)
"""Fields a read-only view shows in a block of their own, not as «label: value»."""


@dataclass(frozen=True)
class Section:
    """One section of the form, as the form screen, the exports and the error order use it."""

    id: str
    tab: str        # the form's tab
    title: str      # the full name (the exports and the detail number it)
    fields: tuple[str, ...]
    help: str

    @property
    def scalar_fields(self) -> tuple[str, ...]:
        """The fields a read-only view shows as «label: value»."""
        return tuple(f for f in self.fields if f not in LISTED_FIELDS)


SECTIONS: Final = (
    Section("sec-programa", "1 Programa", "Programa y responsable", (
        "fechaCaracterizacion", "responsableNombre", "responsableCedula", "responsableEmail",
        "programaId", "codigoPrograma", "versionPrograma", "duracionMaxima", "cupoMaximo",
        "numeroAprendicesInscribir", "modalidad"),
        "Programa y responsable: elija el programa (Ctrl+O) entre los programas activos de "
        "formación complementaria de su centro; sus datos se copian y puede ajustarlos."),
    Section("sec-empresa", "2 Empresa", "Empresa y ubicación", (
        "municipio", "departamento", "nombreEmpresa", "nitEmpresa", "codigoEmpresa",
        "representanteLegal", "fechaCreacionEmpresa", "direccionEmpresa", "telefonosEmpresa",
        "lugarFormacion", "tipoAmbiente"),
        "Empresa y ubicación: la empresa o comunidad que recibe la formación y dónde se dicta."),
    Section("sec-programacion", "3 Programación", "Programas especiales y programación", (
        *FLAG_FIELDS, "otroEspecificar", *DATE_ORDER, "horarios"),
        "Programas especiales (marque con espacio), fechas en orden (inscripción ≤ curso) y "
        "los horarios, con la calculadora de horas."),
    Section("sec-justificacion", "4 Justificación", "Justificación", (
        "justificacion", "resultadosEsperados", "objetivosPersonalizados", "observaciones"),
        "Justificación: los objetivos, competencias y resultados del programa se muestran "
        "como referencia; escriba la justificación y sus objetivos propios."),
    Section("sec-envio", "5 Envío", "Validación y envío", DECLARATIONS,
            "Validación y envío: revise lo que falta, marque las tres declaraciones y envíe "
            "con F5."),
)
FORM_ORDER: Final = tuple(f for s in SECTIONS for f in s.fields)
"""Every field of the form, in the order it shows them (errors are sorted by it)."""

FIELD_LABELS: Final[dict[str, str]] = {
    "fechaCaracterizacion": "Fecha de caracterización",
    "responsableNombre": "Nombre del responsable", "responsableCedula": "Cédula del responsable",
    "responsableEmail": "Correo del responsable", "programaId": "Programa",
    "codigoPrograma": "Código del programa", "versionPrograma": "Versión del programa",
    "duracionMaxima": "Duración máxima (horas)", "cupoMaximo": "Cupo máximo",
    "numeroAprendicesInscribir": "Número de aprendices a inscribir", "modalidad": "Modalidad",
    "municipio": "Municipio", "departamento": "Departamento",
    "nombreEmpresa": "Nombre de la empresa", "nitEmpresa": "NIT de la empresa",
    "codigoEmpresa": "Código de la empresa", "representanteLegal": "Representante legal",
    "fechaCreacionEmpresa": "Fecha de creación de la empresa",
    "direccionEmpresa": "Dirección de la empresa", "telefonosEmpresa": "Teléfonos de la empresa",
    "lugarFormacion": "Lugar de formación", "tipoAmbiente": "Tipo de ambiente",
    "programaEmprendimiento": "Programa de emprendimiento",
    "programaBilinguismo": "Programa de bilingüismo",
    "atencionInstituciones": "Atención a instituciones", "posconflicto": "Posconflicto",
    "senaEmprendeRural": "SENA Emprende Rural",
    "formacionEspecialMypimes": "Formación especial Mipymes",
    "senaEmprendeRuralPosconflicto": "SENA Emprende Rural posconflicto",
    "tecnoacademiaSennova": "Tecnoacademia SENNOVA",
    "campesenaConvenio8842": "CampeSENA (convenio 8842)",
    "fullPopularConvenio8882": "Full Popular (convenio 8882)", "icbfInstituto": "ICBF",
    "policiaNacional": "Policía Nacional", "otroEspecificar": "Otro (especificar)",
    "inicioInscripcion": "Inicio de inscripción",
    "finalizacionInscripcion": "Finalización de inscripción",
    "fechaInicioCurso": "Fecha de inicio del curso",
    "fechaFinalizacionCurso": "Fecha de finalización del curso", "horarios": "Horarios",
    "justificacion": "Justificación", "resultadosEsperados": "Resultados esperados",
    "objetivosPersonalizados": "Objetivos personalizados", "observaciones": "Observaciones",
    **{d.field: d.label for d in DECLARATION_LIST},
}  # fmt: skip
"""The Spanish label of every field (messages start with it)."""


# ---- list orders -----------------------------------------------------------------------------
DATE_ORDERS: Final[dict[str, str]] = {"recientes": "más recientes", "antiguas": "más antiguas"}
"""The orders by date a list offers (key, what its query's :orden names -> Spanish label),
newest first: the solicitudes (the screen's `o`, the query branches, `export lista --orden`)
and the audit; the review queue offers them oldest first."""
