-- The web app's public schema, exactly as Prisma's schema engine writes it (SCHEMA.md).
-- On a database the web app already created, this migration is marked as applied, not run.

CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "public"."Role" AS ENUM ('INSTRUCTOR', 'COORDINADOR', 'ADMIN');

-- CreateEnum
CREATE TYPE "public"."TipoFormacion" AS ENUM ('COMPLEMENTARIA', 'TRANSVERSAL', 'ESPECIFICA', 'VIRTUAL');

-- CreateEnum
CREATE TYPE "public"."Modalidad" AS ENUM ('PRESENCIAL', 'VIRTUAL', 'MIXTA', 'DESESCOLARIZADA', 'COMBINADA');

-- CreateEnum
CREATE TYPE "public"."EstadoSolicitud" AS ENUM ('BORRADOR', 'PENDIENTE', 'EN_REVISION', 'APROBADA', 'RECHAZADA', 'CANCELADA');

-- CreateEnum
CREATE TYPE "public"."DiaSemana" AS ENUM ('LUNES', 'MARTES', 'MIERCOLES', 'JUEVES', 'VIERNES', 'SABADO', 'DOMINGO');

-- CreateEnum
CREATE TYPE "public"."TipoNotificacion" AS ENUM ('NUEVA_SOLICITUD', 'SOLICITUD_APROBADA', 'SOLICITUD_RECHAZADA', 'SOLICITUD_REVISION', 'ASIGNACION_FICHA', 'RECORDATORIO', 'SISTEMA');

-- CreateTable
CREATE TABLE "public"."users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "password" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "cedula" TEXT NOT NULL,
    "telefono" TEXT,
    "role" "public"."Role" NOT NULL DEFAULT 'INSTRUCTOR',
    "centroId" TEXT NOT NULL,
    "especialidad" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "public"."centros" (
    "id" TEXT NOT NULL,
    "nombre" TEXT NOT NULL,
    "codigo" TEXT NOT NULL,
    "direccion" TEXT,
    "telefono" TEXT,
    "ciudad" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "centros_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "public"."programas" (
    "id" TEXT NOT NULL,
    "codigo" TEXT NOT NULL,
    "nombre" TEXT NOT NULL,
    "tipoFormacion" "public"."TipoFormacion" NOT NULL,
    "modalidad" "public"."Modalidad" NOT NULL,
    "duracionHoras" INTEGER NOT NULL,
    "cupoAprendices" INTEGER NOT NULL,
    "descripcion" TEXT,
    "centroId" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "programas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "public"."objetivos_aprendizaje" (
    "id" TEXT NOT NULL,
    "descripcion" TEXT NOT NULL,
    "programaId" TEXT NOT NULL,
    "orden" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "objetivos_aprendizaje_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "public"."competencias" (
    "id" TEXT NOT NULL,
    "descripcion" TEXT NOT NULL,
    "codigo" TEXT,
    "programaId" TEXT NOT NULL,

    CONSTRAINT "competencias_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "public"."resultados_aprendizaje" (
    "id" TEXT NOT NULL,
    "descripcion" TEXT NOT NULL,
    "codigo" TEXT,
    "programaId" TEXT NOT NULL,

    CONSTRAINT "resultados_aprendizaje_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "public"."solicitudes" (
    "id" TEXT NOT NULL,
    "codigo" TEXT NOT NULL,
    "instructorId" TEXT NOT NULL,
    "programaId" TEXT NOT NULL,
    "fechaCaracterizacion" TIMESTAMP(3),
    "responsableNombre" TEXT NOT NULL,
    "responsableCedula" TEXT NOT NULL,
    "responsableEmail" TEXT NOT NULL,
    "codigoPrograma" TEXT NOT NULL,
    "versionPrograma" TEXT NOT NULL DEFAULT '1',
    "duracionMaxima" INTEGER NOT NULL,
    "cupoMaximo" INTEGER NOT NULL,
    "numeroAprendicesInscribir" INTEGER NOT NULL,
    "modalidad" "public"."Modalidad" NOT NULL,
    "municipio" TEXT NOT NULL,
    "departamento" TEXT NOT NULL,
    "nombreEmpresa" TEXT NOT NULL,
    "nitEmpresa" TEXT,
    "codigoEmpresa" TEXT,
    "representanteLegal" TEXT NOT NULL,
    "fechaCreacionEmpresa" TIMESTAMP(3),
    "direccionEmpresa" TEXT NOT NULL,
    "telefonosEmpresa" TEXT,
    "lugarFormacion" TEXT NOT NULL,
    "tipoAmbiente" TEXT NOT NULL,
    "programaEmprendimiento" BOOLEAN NOT NULL DEFAULT false,
    "programaBilinguismo" BOOLEAN NOT NULL DEFAULT false,
    "atencionInstituciones" BOOLEAN NOT NULL DEFAULT false,
    "posconflicto" BOOLEAN NOT NULL DEFAULT false,
    "senaEmprendeRural" BOOLEAN NOT NULL DEFAULT false,
    "formacionEspecialMypimes" BOOLEAN NOT NULL DEFAULT false,
    "senaEmprendeRuralPosconflicto" BOOLEAN NOT NULL DEFAULT false,
    "tecnoacademiaSennova" BOOLEAN NOT NULL DEFAULT false,
    "campesenaConvenio8842" BOOLEAN NOT NULL DEFAULT false,
    "fullPopularConvenio8882" BOOLEAN NOT NULL DEFAULT false,
    "icbfInstituto" BOOLEAN NOT NULL DEFAULT false,
    "policiaNacional" BOOLEAN NOT NULL DEFAULT false,
    "otroEspecificar" TEXT,
    "inicioInscripcion" TIMESTAMP(3) NOT NULL,
    "finalizacionInscripcion" TIMESTAMP(3) NOT NULL,
    "fechaInicioCurso" TIMESTAMP(3) NOT NULL,
    "fechaFinalizacionCurso" TIMESTAMP(3) NOT NULL,
    "justificacion" TEXT NOT NULL,
    "objetivosPersonalizados" TEXT[],
    "resultadosEsperados" TEXT,
    "observaciones" TEXT,
    "cumpleRequisitos" BOOLEAN NOT NULL DEFAULT false,
    "autorizaUsoInfo" BOOLEAN NOT NULL DEFAULT false,
    "confirmaVeracidad" BOOLEAN NOT NULL DEFAULT false,
    "estado" "public"."EstadoSolicitud" NOT NULL DEFAULT 'BORRADOR',
    "fechaSolicitud" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fechaRevision" TIMESTAMP(3),
    "fechaAprobacion" TIMESTAMP(3),
    "comentariosRevision" TEXT,
    "firmaInstructorResponsable" TEXT,
    "firmaCoordinadorAcademico" TEXT,
    "versionDocumento" TEXT NOT NULL DEFAULT '1',
    "codigoFormato" TEXT NOT NULL DEFAULT 'F11-3030-003/03-06',
    "numeroFicha" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "solicitudes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "public"."horarios_detallados" (
    "id" TEXT NOT NULL,
    "solicitudId" TEXT NOT NULL,
    "diaSemana" "public"."DiaSemana" NOT NULL,
    "fecha" TIMESTAMP(3),
    "horaInicio" TEXT NOT NULL,
    "horaFin" TEXT NOT NULL,
    "esFlexible" BOOLEAN NOT NULL DEFAULT true,
    "observaciones" TEXT,

    CONSTRAINT "horarios_detallados_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "public"."notificaciones" (
    "id" TEXT NOT NULL,
    "tipo" "public"."TipoNotificacion" NOT NULL,
    "titulo" TEXT NOT NULL,
    "mensaje" TEXT NOT NULL,
    "leida" BOOLEAN NOT NULL DEFAULT false,
    "fechaCreada" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "usuarioId" TEXT NOT NULL,
    "solicitudId" TEXT,

    CONSTRAINT "notificaciones_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "public"."users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "users_cedula_key" ON "public"."users"("cedula");

-- CreateIndex
CREATE UNIQUE INDEX "centros_codigo_key" ON "public"."centros"("codigo");

-- CreateIndex
CREATE UNIQUE INDEX "programas_codigo_key" ON "public"."programas"("codigo");

-- CreateIndex
CREATE UNIQUE INDEX "solicitudes_codigo_key" ON "public"."solicitudes"("codigo");

-- CreateIndex
CREATE UNIQUE INDEX "solicitudes_numeroFicha_key" ON "public"."solicitudes"("numeroFicha");

-- AddForeignKey
ALTER TABLE "public"."users" ADD CONSTRAINT "users_centroId_fkey" FOREIGN KEY ("centroId") REFERENCES "public"."centros"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "public"."programas" ADD CONSTRAINT "programas_centroId_fkey" FOREIGN KEY ("centroId") REFERENCES "public"."centros"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "public"."objetivos_aprendizaje" ADD CONSTRAINT "objetivos_aprendizaje_programaId_fkey" FOREIGN KEY ("programaId") REFERENCES "public"."programas"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "public"."competencias" ADD CONSTRAINT "competencias_programaId_fkey" FOREIGN KEY ("programaId") REFERENCES "public"."programas"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "public"."resultados_aprendizaje" ADD CONSTRAINT "resultados_aprendizaje_programaId_fkey" FOREIGN KEY ("programaId") REFERENCES "public"."programas"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "public"."solicitudes" ADD CONSTRAINT "solicitudes_instructorId_fkey" FOREIGN KEY ("instructorId") REFERENCES "public"."users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "public"."solicitudes" ADD CONSTRAINT "solicitudes_programaId_fkey" FOREIGN KEY ("programaId") REFERENCES "public"."programas"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "public"."horarios_detallados" ADD CONSTRAINT "horarios_detallados_solicitudId_fkey" FOREIGN KEY ("solicitudId") REFERENCES "public"."solicitudes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "public"."notificaciones" ADD CONSTRAINT "notificaciones_usuarioId_fkey" FOREIGN KEY ("usuarioId") REFERENCES "public"."users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "public"."notificaciones" ADD CONSTRAINT "notificaciones_solicitudId_fkey" FOREIGN KEY ("solicitudId") REFERENCES "public"."solicitudes"("id") ON DELETE SET NULL ON UPDATE CASCADE;
