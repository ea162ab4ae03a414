"""Every screen's keys and help text in one table, by screen class.

A key's `id` is what `config.toml` remaps and what `complementarias keys` lists; screens
read their entry (`BINDINGS = keymap.BINDINGS["MigrationsScreen"]`), so every key of the
app can be read, and its conflicts seen, in this one file. Two exceptions: the programa
form's help quotes the form's own hint (it stays in `programa_form.py`), and Textual's own
palette and select overlays get their keys in `tui/shell/textual_es.py`.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

HELP: dict[str, str] = {}
BINDINGS: dict[str, list[BindingType]] = {}


def list_bindings(prefix: str) -> list[Binding]:
    """The list keys, with ids under the screen's prefix (remappable per screen)."""
    return [
        Binding("escape", "back", "Volver", id=f"{prefix}-back", show=False),
        Binding("slash", "search", "Buscar", id=f"{prefix}-search", show=False),
        Binding("f5", "reload", "Recargar", id=f"{prefix}-reload", show=False),
        Binding("pagedown", "next_page", "Pág. sig.", id=f"{prefix}-next-page", show=False,
                priority=True),
        Binding("pageup", "prev_page", "Pág. ant.", id=f"{prefix}-prev-page", show=False,
                priority=True),
        Binding("j", "cursor_down", "Abajo", id=f"{prefix}-down", show=False),
        Binding("k", "cursor_up", "Arriba", id=f"{prefix}-up", show=False),
        Binding("g", "top", "Primera fila", id=f"{prefix}-top", show=False),
        Binding("G", "bottom", "Última fila", id=f"{prefix}-bottom", show=False),
        Binding("o", "sort", "Ordenar", id=f"{prefix}-sort", show=False),
        Binding("ctrl+e", "export_list", "Exportar", id=f"{prefix}-export", show=False),
    ]


def form_bindings(prefix: str) -> list[BindingType]:
    """The keys every admin form dialog has, with ids under its prefix."""
    return [
        Binding("ctrl+s", "save", "Guardar", id=f"{prefix}-form-save"),
        Binding("escape", "cancel", "Cancelar", id=f"{prefix}-form-cancel"),
        # a modal cuts the app's bindings off: its own F1
        Binding("f1", "app.help", "Ayuda", id=f"{prefix}-form-help"),
    ]


# The actions on a solicitud (lists, the queue, the detail); which are offered comes from
# the vocabulary (tui/services/model.py), as the services' checks do.
SOLICITUD_ACTIONS: list[Binding] = [
    Binding("enter", "sol_view", "Ver", id="solicitud-view", show=False),
    Binding("e", "sol_edit", "Editar", id="solicitud-edit"),
    Binding("s", "sol_submit", "Enviar", id="solicitud-submit"),
    Binding("c", "sol_cancel", "Cancelar", id="solicitud-cancel"),
    Binding("d", "sol_duplicate", "Duplicar", id="solicitud-duplicate"),
    Binding("t", "sol_take", "Tomar", id="solicitud-take"),
    Binding("a", "sol_approve", "Aprobar", id="solicitud-approve"),
    Binding("x", "sol_reject", "Rechazar", id="solicitud-reject"),
    Binding("v", "sol_return", "Devolver", id="solicitud-return"),
    Binding("ctrl+x", "sol_admin_cancel", "Anular", id="solicitud-admin-cancel", show=False),
    Binding("y", "sol_copy", "Copiar", id="solicitud-copy", show=False),
]

# ---- AuditScreen (tui/screens/admin/audit.py)
HELP["AuditScreen"] = (
    "Registro de auditoría, solo de lectura: inicios de sesión (también los fallidos), "
    "cambios de usuarios y roles, cambios de estado de solicitudes y migraciones, lo más "
    "reciente primero (o cambia el orden). Filtre por acción, por fechas (desde/hasta, "
    "dd/mm/aaaa) y con / busque en usuario, objetivo y detalle. AvPág/RePág pasan de "
    "página; Ctrl+E exporta lo que muestra la lista (CSV o XLSX); Escape vuelve."
)
BINDINGS["AuditScreen"] = [
    Binding("f", "dates", "Fechas", id="audit-dates"),
    *list_bindings("audit"),
]

# ---- BroadcastScreen (tui/screens/admin/broadcast.py)
HELP["BroadcastScreen"] = (
    "Envía una notificación SISTEMA a los usuarios activos: a todos, a un rol, a un "
    "centro, a un rol de un centro, o a usuarios elegidos uno a uno (Ctrl+O o el botón "
    "Usuarios; con usuarios elegidos no se usan rol ni centro). Antes de enviar se "
    "confirma cuántos la recibirán. Ctrl+S envía; Escape vuelve (pregunta si hay texto "
    "sin enviar)."
)
BINDINGS["BroadcastScreen"] = [
    Binding("ctrl+s", "send", "Enviar", id="broadcast-send"),
    Binding("ctrl+o", "pick_users", "Elegir usuarios", id="broadcast-users"),
    Binding("escape", "back", "Volver", id="broadcast-back"),
]

# ---- CentroFormScreen (tui/screens/admin/centro_form.py)
HELP["CentroFormScreen"] = (
    "Datos del centro: código (único, letras y dígitos), nombre, ciudad y región son "
    "obligatorios. Enter pasa al campo siguiente; Ctrl+S guarda; Escape cancela."
)
BINDINGS["CentroFormScreen"] = form_bindings("centros")

# ---- CentrosScreen (tui/screens/admin/centros.py)
HELP["CentrosScreen"] = (
    "Centros de formación. n crea uno, e o Enter edita el seleccionado, d lo desactiva o "
    "reactiva (sus usuarios y programas no cambian). / busca por nombre, código o "
    "ciudad; o ordena por nombre o código; Ctrl+E exporta la lista (CSV o XLSX); Escape "
    "vuelve."
)
BINDINGS["CentrosScreen"] = [
    Binding("n", "new", "Nuevo", id="centros-new"),
    Binding("e", "edit", "Editar", id="centros-edit"),
    Binding("d", "deactivate", "Desactivar", id="centros-deactivate"),
    Binding("d", "reactivate", "Reactivar", id="centros-reactivate"),
    *list_bindings("centros"),
]

# ---- ImportInstructoresScreen (tui/screens/admin/import_instructores.py)
HELP["ImportInstructoresScreen"] = (
    "Escriba la ruta del archivo CSV o XLSX y pulse Enter (o Ctrl+R): se revisa cada "
    "fila sin crear nada (se crea, duplicado por correo o cédula —también dentro del "
    "archivo— o error con el motivo). Ctrl+S crea las cuentas de la revisión en una "
    "sola transacción y muestra sus contraseñas temporales una única vez; Ctrl+G las "
    "guarda en un CSV para entregarlas. Escape vuelve."
)
BINDINGS["ImportInstructoresScreen"] = [
    Binding("escape", "back", "Volver", id="import-back"),
    Binding("ctrl+r", "check", "Revisar", id="import-check"),
    Binding("ctrl+s", "run", "Importar", id="import-run"),
    Binding("ctrl+g", "save_passwords", "Guardar claves", id="import-save-passwords"),
    Binding("j", "move(1)", "Abajo", id="import-down", show=False),
    Binding("k", "move(-1)", "Arriba", id="import-up", show=False),
    Binding("g", "move(-100000)", "Primera fila", id="import-top", show=False),
    Binding("G", "move(100000)", "Última fila", id="import-bottom", show=False),
]

# ---- MigrationsScreen (tui/screens/admin/migrations.py)
HELP["MigrationsScreen"] = (
    "Migraciones de la base de datos, en orden, con su fecha de aplicación o "
    "«pendiente», y quién tiene el bloqueo si otra ejecución está migrando. a aplica "
    "las pendientes; r revierte la última aplicada (puede borrar datos; la migración "
    "base nunca se revierte en una base con datos); F5 actualiza; Escape vuelve."
)
BINDINGS["MigrationsScreen"] = [
    Binding("a", "apply", "Aplicar pendientes", id="migrations-apply"),
    Binding("r", "rollback", "Revertir última", id="migrations-rollback"),
    Binding("f5", "reload", "Actualizar", id="migrations-reload"),
    Binding("escape", "back", "Volver", id="migrations-back", show=False),
    Binding("j", "cursor_down", "Abajo", id="migrations-down", show=False),
    Binding("k", "cursor_up", "Arriba", id="migrations-up", show=False),
]

# ---- ProgramasScreen (tui/screens/admin/programas.py)
HELP["ProgramasScreen"] = (
    "Programas de formación de su alcance. n crea uno, e o Enter edita sus datos, c "
    "edita su contenido (objetivos en orden, competencias y resultados), d lo desactiva "
    "(no se podrán crear solicitudes con él) o lo reactiva. / busca por código o "
    "nombre; o ordena por nombre o código; Ctrl+E exporta la lista (CSV o XLSX)."
)
BINDINGS["ProgramasScreen"] = [
    Binding("n", "new", "Nuevo", id="programas-new"),
    Binding("e", "edit", "Editar", id="programas-edit"),
    Binding("c", "contenido", "Contenido", id="programas-contenido"),
    Binding("d", "deactivate", "Desactivar", id="programas-deactivate"),
    Binding("d", "reactivate", "Reactivar", id="programas-reactivate"),
    *list_bindings("programas"),
]

# ---- UserFormScreen (tui/screens/admin/user_form.py)
HELP["UserFormScreen"] = (
    "Correo institucional (@sena.edu.co o @misena.edu.co), nombre y cédula (solo "
    "dígitos) son obligatorios. Una cuenta nueva recibe una contraseña temporal que se "
    "muestra una sola vez. Enter pasa al campo siguiente; Ctrl+S guarda; Escape "
    "cancela."
)
BINDINGS["UserFormScreen"] = form_bindings("users")

# ---- InfoDialog (tui/screens/admin/user_form.py)
HELP["InfoDialog"] = (
    "c copia el valor resaltado al portapapeles (terminales con OSC 52); Enter o "
    "Escape cierra. Una contraseña temporal no se vuelve a mostrar."
)
BINDINGS["InfoDialog"] = [
    Binding("c", "copy", "Copiar", id="users-info-copy"),
    Binding("escape,enter", "close", "Cerrar", id="users-info-close"),
    Binding("f1", "app.help", "Ayuda", id="users-info-help"),
]

# ---- UserPickerScreen (tui/screens/admin/user_picker.py)
HELP["UserPickerScreen"] = (
    "Escriba para buscar por nombre, correo o cédula; flecha abajo pasa a la lista. "
    "Espacio marca o desmarca; Ctrl+S (o Enter cuando se elige uno solo) confirma; "
    "Escape cancela."
)
BINDINGS["UserPickerScreen"] = [
    Binding("ctrl+s", "done", "Aceptar", id="user-picker-done"),
    Binding("escape", "cancel", "Cancelar", id="user-picker-cancel"),
    Binding("down", "focus_list", "Ir a la lista", id="user-picker-list", show=False),
    Binding("f1", "app.help", "Ayuda", id="user-picker-help"),
]

# ---- UsersScreen (tui/screens/admin/users.py)
HELP["UsersScreen"] = (
    "Cuentas de usuario de su alcance. n crea una (se muestra su contraseña temporal "
    "una sola vez), e edita, d desactiva o reactiva, Supr elimina (solo sin solicitudes "
    "pendientes, en revisión o aprobadas), p restablece la contraseña y Enter muestra "
    "las estadísticas del instructor. i importa instructores desde un CSV o XLSX. / busca "
    "por nombre, correo o cédula; o ordena por nombre o correo; Ctrl+E exporta la lista "
    "(CSV o XLSX)."
)
BINDINGS["UsersScreen"] = [
    Binding("n", "new", "Nuevo", id="users-new"),
    Binding("e", "edit", "Editar", id="users-edit"),
    Binding("d", "deactivate", "Desactivar", id="users-deactivate"),
    Binding("d", "reactivate", "Reactivar", id="users-reactivate"),
    Binding("delete", "delete", "Eliminar", id="users-delete", key_display="Supr"),
    Binding("p", "reset_password", "Contraseña", id="users-reset-password"),
    Binding("s", "stats", "Estadísticas", id="users-stats", show=False),
    Binding("i", "import_file", "Importar", id="users-import"),
    *list_bindings("users"),
]

# ---- MainScreen (tui/screens/common/base.py)
BINDINGS["MainScreen"] = [Binding("escape", "escape_back", "Volver", id="main-escape", show=False)]

# ---- ChangePasswordScreen (tui/screens/common/change_password.py)
HELP["ChangePasswordScreen"] = (
    "La nueva contraseña debe tener al menos 10 caracteres y no puede ser su correo ni "
    "su cédula. Enter pasa al campo siguiente; Ctrl+S guarda; Escape cancela."
)
BINDINGS["ChangePasswordScreen"] = [
    Binding("escape", "cancel", "Cancelar", id="dialog-cancel"),
    Binding("ctrl+s", "save", "Guardar", id="password-save"),
    Binding("f1", "app.help", "Ayuda", id="password-help"),
]

# ---- ConfirmScreen (tui/screens/common/confirm.py)
HELP["ConfirmScreen"] = (
    "Enter o Ctrl+S confirma; Escape cancela sin cambiar nada (si escribió algo, "
    "pregunta antes de descartarlo). Si la acción falla, el diálogo sigue abierto con "
    "lo escrito y el error bajo el campo."
)
BINDINGS["ConfirmScreen"] = [
    Binding("escape", "cancel", "Cancelar", id="dialog-cancel"),
    Binding("ctrl+s", "confirm", "Confirmar", id="dialog-confirm"),
    Binding("f1", "app.help", "Ayuda", id="dialog-help"),
]

# ---- ExportDialog (tui/screens/common/export_dialog.py)
HELP["ExportDialog"] = (
    "Elija el formato y el nombre del archivo (ruta completa o relativa a la carpeta "
    "donde se abrió la aplicación). Ctrl+S o Enter exporta; mientras exporta, Escape "
    "cancela sin dejar un archivo a medias. Al terminar se indica dónde quedó."
)
BINDINGS["ExportDialog"] = [
    Binding("escape", "cancel", "Cancelar / cerrar", id="export-cancel"),
    Binding("ctrl+s", "export", "Exportar", id="export-run"),
    Binding("f1", "app.help", "Ayuda", id="export-help"),
]

# ---- HelpScreen (tui/screens/common/help.py)
BINDINGS["HelpScreen"] = [Binding("escape,f1,q", "dismiss", "Cerrar", id="help-close")]

# ---- HomeScreen (tui/screens/common/home.py)
HELP["HomeScreen"] = (
    "Resumen de sus solicitudes por estado (sobre todas, no solo las recientes), las "
    "más recientes y los programas activos de su centro. Enter abre la solicitud "
    "seleccionada."
)
BINDINGS["HomeScreen"] = [
    Binding("n", "new", "Nueva", id="home-new"),
    Binding("l", "list", "Solicitudes", id="home-list"),
    Binding("r", "review", "Revisar", id="home-review"),
    Binding("u", "users", "Usuarios", id="home-users"),
    Binding("p", "programas", "Programas", id="home-programas"),
    Binding("i", "informes", "Informes", id="home-informes"),
    Binding("m", "profile", "Mi perfil", id="home-profile", show=False),
    Binding("j", "cursor_down", "Abajo", id="home-down", show=False),
    Binding("k", "cursor_up", "Arriba", id="home-up", show=False),
]

# ---- ListFiltersScreen (tui/screens/common/list_filters.py)
HELP["ListFiltersScreen"] = (
    "Filtros adicionales de la lista: programa e instructor (Enter en el botón abre el "
    "buscador), centro (solo administradores) y rango de fecha de solicitud "
    "(dd/mm/aaaa, ambos extremos incluidos). Ctrl+S aplica; Escape cancela; el botón "
    "Limpiar quita estos filtros."
)
BINDINGS["ListFiltersScreen"] = [
    Binding("ctrl+s", "apply", "Aplicar", id="list-filters-apply"),
    Binding("escape", "cancel", "Cancelar", id="list-filters-cancel"),
    Binding("f1", "app.help", "Ayuda", id="list-filters-help"),
]

# ---- LoginScreen (tui/screens/common/login.py)
HELP["LoginScreen"] = (
    "Escriba su correo institucional (@sena.edu.co o @misena.edu.co) y su contraseña. "
    "Tras varios intentos fallidos el acceso se bloquea unos minutos."
)
BINDINGS["LoginScreen"] = [Binding("ctrl+s", "login", "Ingresar", id="login-submit", show=True)]

# ---- ProfileScreen (tui/screens/common/profile.py)
HELP["ProfileScreen"] = (
    "Sus datos de cuenta. Puede cambiar su teléfono y su especialidad (Ctrl+S guarda) "
    "y su contraseña (Ctrl+T). Nombre, correo, cédula, rol y centro los cambia un "
    "administrador. Escape vuelve; si hay cambios sin guardar, pregunta antes."
)
BINDINGS["ProfileScreen"] = [
    Binding("ctrl+s", "save", "Guardar", id="profile-save"),
    Binding("ctrl+t", "change_password", "Contraseña", id="profile-password"),
    Binding("escape", "back", "Volver", id="profile-back"),
]

# ---- SolicitudDetailScreen (tui/screens/common/solicitud_detail.py)
HELP["SolicitudDetailScreen"] = (
    "La solicitud completa: todos los campos, horarios con sus horas e historial. Las "
    "acciones del pie dependen del estado y de su rol. Escape vuelve."
)
BINDINGS["SolicitudDetailScreen"] = [
    Binding("escape", "back", "Volver", id="detail-back"),
    Binding("r", "reload", "Recargar", id="detail-reload", show=False),
    Binding("j", "scroll_down", "Abajo", id="detail-down", show=False),
    Binding("k", "scroll_up", "Arriba", id="detail-up", show=False),
    *[b for b in SOLICITUD_ACTIONS if b.action != "sol_view"],
    Binding("p", "sol_export", "Exportar", id="detail-export"),
]

# ---- SolicitudesScreen (tui/screens/common/solicitudes.py)
HELP["SolicitudesScreen"] = (
    "Todas las solicitudes de su alcance. Filtre por estado (f) y año, busque por "
    "código, programa, empresa o ficha (/); m abre más filtros: programa, instructor, "
    "centro y rango de fechas de solicitud; o cambia el orden (más recientes o más "
    "antiguas; una búsqueda pone primero las coincidencias exactas); Ctrl+E exporta la "
    "lista filtrada en su orden. Avance de página con AvPág/RePág. Las "
    "acciones disponibles dependen del estado de la solicitud seleccionada."
)
BINDINGS["SolicitudesScreen"] = [
    Binding("slash", "search", "Buscar", id="list-search"),
    Binding("f", "filter_estado", "Estado", id="list-filter-estado"),
    Binding("m", "more_filters", "Filtros", id="list-more-filters"),
    Binding("n", "new", "Nueva", id="list-new"),
    Binding("r", "reload", "Recargar", id="list-reload", show=False),
    # priority: the focused table would take PgDn/PgUp to scroll its (single) page. Not
    # Ctrl+F/Ctrl+U: in the search box they edit the text (Ctrl+U clears it), as anywhere.
    Binding("pagedown", "next_page", "Pág. sig.", id="list-next-page", priority=True),
    Binding("pageup", "prev_page", "Pág. ant.", id="list-prev-page", priority=True),
    Binding("ctrl+f", "next_page", "Pág. sig.", id="list-next-page-ctrl", show=False),
    Binding("ctrl+u", "prev_page", "Pág. ant.", id="list-prev-page-ctrl", show=False),
    Binding("j", "cursor_down", "Abajo", id="list-down", show=False),
    Binding("k", "cursor_up", "Arriba", id="list-up", show=False),
    Binding("g", "top", "Primera", id="list-top", show=False),
    Binding("G", "bottom", "Última", id="list-bottom", show=False),
    Binding("o", "sort", "Ordenar", id="list-sort", show=False),
    Binding("ctrl+e", "export_list", "Exportar", id="list-export", show=False),
    *SOLICITUD_ACTIONS,
]

# ---- SshKeysScreen (tui/screens/common/ssh_keys.py)
HELP["SshKeysScreen"] = (
    "Claves públicas con las que puede entrar por SSH sin contraseña "
    "(ssh -p 2222 correo@servidor). Pegue la línea de su archivo .pub (por ejemplo "
    "~/.ssh/id_ed25519.pub) y pulse Enter o Ctrl+S. Supr o x quita la clave "
    "seleccionada. Nunca pegue la clave privada."
)
BINDINGS["SshKeysScreen"] = [
    Binding("ctrl+s", "add", "Agregar", id="sshkeys-add"),
    Binding("delete,x", "remove", "Quitar", id="sshkeys-remove"),
    Binding("escape", "back", "Volver", id="sshkeys-back"),
]

# ---- InformesScreen (tui/screens/coordinacion/informes.py)
HELP["InformesScreen"] = (
    "Cifras de las solicitudes enviadas entre Desde y Hasta (fechas de solicitud, "
    "dd/mm/aaaa, ambos días incluidos; por defecto, el año en curso): cuántas hay por "
    "estado, la tasa de aprobación (aprobadas sobre aprobadas más rechazadas), el tiempo "
    "medio de respuesta, cuánto llevan esperando las abiertas, y el desglose por mes, "
    "centro, instructor y programa (los 10 con más solicitudes). Los borradores no se "
    "cuentan. d lleva a las fechas; Enter pasa de Desde a Hasta y en Hasta aplica "
    "(también Ctrl+S); j/k desplazan el informe."
)
BINDINGS["InformesScreen"] = [
    Binding("ctrl+s", "apply", "Aplicar", id="informes-apply"),
    Binding("d", "edit_dates", "Fechas", id="informes-dates"),
    Binding("c", "filter_centro", "Centro", id="informes-centro"),
    Binding("r", "reload", "Recargar", id="informes-reload", show=False),
    Binding("j", "scroll(1)", "Bajar", id="informes-down", show=False),
    Binding("k", "scroll(-1)", "Subir", id="informes-up", show=False),
]

# ---- ReviewQueueScreen (tui/screens/coordinacion/review_queue.py)
HELP["ReviewQueueScreen"] = (
    "Solicitudes por revisar (pendientes y en revisión), las más antiguas primero (o: "
    "las más recientes primero); Días es el tiempo desde el envío y más de 7 se "
    "marca urgente. Busque con /, avance de página con AvPág/RePág, Ctrl+E exporta la "
    "cola (CSV o XLSX). t toma en revisión, a aprueba, x rechaza, "
    "v devuelve al instructor, Enter abre el detalle."
)
BINDINGS["ReviewQueueScreen"] = [
    *SOLICITUD_ACTIONS,  # first: the review keys are what the footer must show at 80 columns
    Binding("slash", "search", "Buscar", id="queue-search"),
    Binding("f", "filter_centro", "Centro", id="queue-filter-centro"),
    Binding("r", "reload", "Recargar", id="queue-reload", show=False),
    # priority: the focused table would otherwise take PgDn/PgUp to scroll itself (not
    # Ctrl+F/Ctrl+U: in the search box they edit the text)
    Binding("pagedown", "next_page", "Pág. sig.", id="queue-next-page", show=False,
            priority=True),
    Binding("pageup", "prev_page", "Pág. ant.", id="queue-prev-page", show=False,
            priority=True),
    Binding("ctrl+f", "next_page", "Pág. sig.", id="queue-next-page-ctrl", show=False),
    Binding("ctrl+u", "prev_page", "Pág. ant.", id="queue-prev-page-ctrl", show=False),
    Binding("j", "cursor_down", "Abajo", id="queue-down", show=False),
    Binding("k", "cursor_up", "Arriba", id="queue-up", show=False),
    Binding("o", "sort", "Ordenar", id="queue-sort", show=False),
    Binding("ctrl+e", "export_list", "Exportar", id="queue-export", show=False),
]

# ---- FormConflictScreen (tui/screens/instructor/form_conflict.py)
HELP["FormConflictScreen"] = (
    "Otra persona u otra ventana guardó esta solicitud mientras usted la editaba. "
    "La lista muestra los campos que difieren y su valor guardado ahora. r recarga lo "
    "guardado (pierde sus cambios); s guarda lo suyo encima; Escape sigue editando "
    "sin guardar."
)
BINDINGS["FormConflictScreen"] = [
    Binding("r", "reload", "Recargar", id="form-conflict-reload"),
    Binding("s", "overwrite", "Sobrescribir", id="form-conflict-overwrite"),
    Binding("escape", "cancel", "Seguir editando", id="form-conflict-cancel"),
    Binding("f1", "app.help", "Ayuda", id="form-conflict-help"),
]

# ---- HorarioPlantillaScreen (tui/screens/instructor/horario_plantilla.py)
HELP["HorarioPlantillaScreen"] = (
    "Elija una plantilla con las flechas y Enter. Las plantillas semanales se repiten "
    "cada semana; «generar» crea sesiones con fecha (bloques de 4 horas de lunes a "
    "viernes) desde la fecha de inicio del curso hasta cubrir la duración máxima."
)
BINDINGS["HorarioPlantillaScreen"] = [
    Binding("escape", "cancel", "Cancelar", id="horario-template-cancel"),
    Binding("f1", "app.help", "Ayuda", id="horario-template-help"),
]

# ---- HorarioRowScreen (tui/screens/instructor/horario_row.py)
HELP["HorarioRowScreen"] = (
    "Un horario: el día de la semana, una fecha opcional (si la escribe, debe caer en "
    "ese día; sin fecha se repite cada semana), horas HH:MM entre 06:00 y 22:00, y si "
    "es flexible. Ctrl+S guarda; Escape cancela (si cambió algo, pregunta antes)."
)
BINDINGS["HorarioRowScreen"] = [
    Binding("escape", "cancel", "Cancelar", id="horario-dialog-cancel"),
    Binding("ctrl+s", "save", "Guardar", id="horario-dialog-save"),
    Binding("f1", "app.help", "Ayuda", id="horario-dialog-help"),
]

# ---- ProgramaPickerScreen (tui/screens/instructor/programa_picker.py)
HELP["ProgramaPickerScreen"] = (
    "Programas activos de formación complementaria de su centro. Escriba para filtrar "
    "por código o nombre; flecha abajo pasa a la lista; Enter elige; Escape cancela."
)
BINDINGS["ProgramaPickerScreen"] = [
    Binding("escape", "cancel", "Cancelar", id="form-programa-cancel"),
    Binding("down", "focus_list", "Ir a la lista", id="form-programa-list", show=False),
    Binding("f1", "app.help", "Ayuda", id="form-programa-help"),
]

# ---- SolicitudFormScreen (tui/screens/instructor/solicitud_form.py)
HELP["SolicitudFormScreen"] = (
    "Formulario de la solicitud en cinco secciones (F6 pasa a la siguiente, F7 a la "
    "anterior). Tab avanza de campo; Enter también. Un borrador se guarda solo unos "
    "segundos después de cada cambio (Ctrl+S guarda ya); una solicitud pendiente se "
    "guarda solo con Ctrl+S y debe estar completa. F5 envía al coordinador; F4 lleva "
    "al siguiente campo con error. Escape vuelve (un borrador se guarda antes)."
)
BINDINGS["SolicitudFormScreen"] = [
    Binding("ctrl+s", "save", "Guardar", id="form-save"),
    Binding("f5", "submit", "Enviar", id="form-submit"),
    Binding("f4", "goto_error", "Ir al error", id="form-goto-error"),
    Binding("f6", "next_section", "Sección sig.", id="form-next-section", priority=True),
    Binding("f7", "prev_section", "Sección anterior", id="form-prev-section", show=False,
                priority=True),
    Binding("ctrl+o", "pick_programa", "Elegir programa", id="form-pick-programa",
                show=False),
    Binding("escape", "back", "Volver", id="form-back"),
]

# ---- ComplementariasApp (tui/shell/app.py)
BINDINGS["ComplementariasApp"] = [
    Binding("ctrl+q", "quit", "Salir", id="quit", priority=True),
    Binding("f1", "help", "Ayuda", id="help"),
    Binding("f2", "toggle_notifications", "Notificaciones", id="toggle-notifications"),
    Binding("f3", "go_home", "Inicio", id="home"),
    Binding("f12", "logout", "Cerrar sesión", id="logout", show=False),
    Binding("ctrl+g", "cancel_queries", "Cancelar consulta", id="cancel-queries",
                show=False),
    Binding("f5", "reload_screen", "Recargar", id="reload", show=False),
    Binding("ctrl+l", "redraw", "Redibujar", id="redraw", show=False),
    Binding("f8", "toggle_row_detail", "Columnas ocultas", id="toggle-row-detail",
                show=False),
    Binding("ctrl+p", "command_palette", "Comandos", id="command-palette", show=False),
]

# ---- ObjetivosEditor (tui/widgets/form_objetivos.py)
HELP["ObjetivosEditor"] = (
    "Objetivos propios de esta solicitud, además de los del programa. a agrega, e o "
    "Enter edita el seleccionado, Supr o x lo quita."
)
BINDINGS["ObjetivosEditor"] = [
    Binding("a", "add", "Agregar objetivo", id="form-objetivo-add"),
    Binding("e", "edit", "Editar objetivo", id="form-objetivo-edit"),
    Binding("delete,x", "remove", "Quitar objetivo", id="form-objetivo-remove"),
]

# ---- HorarioEditor (tui/widgets/horario_editor.py)
HELP["HorarioEditor"] = (
    "Horarios del curso. a agrega una fila, e o Enter edita la seleccionada, Supr o x "
    "la quita, t aplica una plantilla (mañana, tarde, fin de semana, nocturno o "
    "generar desde la fecha de inicio). La línea de abajo calcula las horas y estima "
    "la fecha de fin; c la copia en «Fecha de finalización del curso»."
)
BINDINGS["HorarioEditor"] = [
    Binding("a", "add", "Agregar horario", id="horario-add"),
    Binding("e", "edit", "Editar horario", id="horario-edit"),
    Binding("delete,x", "delete", "Quitar horario", id="horario-delete"),
    Binding("t", "template", "Plantilla", id="horario-template"),
    Binding("c", "copy_end", "Copiar fin estimado", id="horario-copy-end"),
]

# ---- NotificationSidebar (tui/widgets/notification_sidebar.py)
HELP["NotificationSidebar"] = (
    "Notificaciones, las más recientes primero. Enter abre la solicitud y la marca "
    "como leída; m marca la seleccionada; a marca todas. F2 cierra el panel."
)
BINDINGS["NotificationSidebar"] = [
    Binding("m", "mark_read", "Marcar leída", id="notification-mark-read"),
    Binding("a", "mark_all", "Marcar todas", id="notification-mark-all"),
    Binding("j", "cursor_down", "Abajo", id="notification-down", show=False),
    Binding("k", "cursor_up", "Arriba", id="notification-up", show=False),
]

# ---- ProgramaFormScreen (tui/screens/admin/programa_form.py; its help names LIST_HINT)
BINDINGS["ProgramaFormScreen"] = [
    *form_bindings("programas"),
    Binding("alt+up", "move_line(-1)", "Subir línea", id="programas-form-line-up"),
    Binding("alt+down", "move_line(1)", "Bajar línea", id="programas-form-line-down"),
]
