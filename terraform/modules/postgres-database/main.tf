locals {
  # <service>_<environment> with dashes turned into underscores. The length
  # limits on the inputs (40 + 1 + 20) keep it under PostgreSQL's 63-byte limit.
  name = replace("${var.service}_${var.environment}", "-", "_")

  connection_limit = {
    small  = 5
    medium = 20
    large  = 50
  }[var.size]

  # Written as COMMENT ON ROLE / COMMENT ON DATABASE. It marks the objects as
  # ours: create refuses to adopt a role or database with another marker, and
  # destroy only drops objects carrying this marker. It also tells apart the
  # two (service, environment) pairs that map to the same name, e.g.
  # ("a-b", "c") and ("a", "b-c") -> "a_b_c".
  marker = "managed-by=paved-terraform module=postgres-database service=${var.service} environment=${var.environment}"

  url_host = strcontains(var.host, ":") ? "[${var.host}]" : var.host

  # Shell prelude shared by the create-time provisioners. Every value reaches the shell only
  # through environment variables; nothing is interpolated into the commands.
  psql_prelude = <<-EOT
    set -eu
    if [ -n "$PAVED_ADMIN_PASSWORD" ]; then
      PGPASSWORD="$PAVED_ADMIN_PASSWORD"
      export PGPASSWORD
    fi
    unset PAVED_ADMIN_PASSWORD
    PGCONNECT_TIMEOUT=10
    export PGCONNECT_TIMEOUT
  EOT
}

# The database and the role, i.e. the things that hold data. Replaced (dropped
# and re-created) only when the identity changes: names, server or marker.
# Size and password changes are handled by terraform_data.role_settings below,
# so rotating a password never drops the database.
resource "terraform_data" "database" {
  input = {
    host       = var.host
    port       = var.port
    admin_user = var.admin_user
    database   = local.name
    role       = local.name
    marker     = local.marker
  }

  triggers_replace = [var.host, var.port, local.name, local.marker]

  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    environment = {
      PAVED_PG_HOST        = var.host
      PAVED_PG_PORT        = tostring(var.port)
      PAVED_PG_ADMIN_USER  = var.admin_user
      PAVED_ADMIN_PASSWORD = var.admin_password
      PAVED_DATABASE       = local.name
      PAVED_ROLE           = local.name
      PAVED_MARKER         = local.marker
    }
    command = <<-EOT
      ${local.psql_prelude}
      psql -X -w -q -v ON_ERROR_STOP=1 -h "$PAVED_PG_HOST" -p "$PAVED_PG_PORT" -U "$PAVED_PG_ADMIN_USER" -d postgres <<'SQL'
      \set VERBOSITY terse
      \getenv db_name PAVED_DATABASE
      \getenv role_name PAVED_ROLE
      \getenv marker PAVED_MARKER

      -- Refuse to adopt a role that exists but is not ours.
      SELECT format('DO $paved$BEGIN RAISE EXCEPTION %L; END$paved$',
                    format('paved: role %I already exists and is not managed by this module for this service/environment (comment: %L); refusing to adopt it',
                           r.rolname, coalesce(shobj_description(r.oid, 'pg_authid'), '')))
        FROM pg_roles r
       WHERE r.rolname = :'role_name'
         AND shobj_description(r.oid, 'pg_authid') IS DISTINCT FROM :'marker'
      \gexec

      -- Refuse to adopt a database that exists but is not ours. A database
      -- without a comment that is owned by our role is ours: a previous run
      -- stopped between CREATE DATABASE and COMMENT ON DATABASE.
      SELECT format('DO $paved$BEGIN RAISE EXCEPTION %L; END$paved$',
                    format('paved: database %I already exists and is not managed by this module for this service/environment; refusing to adopt it',
                           d.datname))
        FROM pg_database d
       WHERE d.datname = :'db_name'
         AND shobj_description(d.oid, 'pg_database') IS DISTINCT FROM :'marker'
         AND NOT (shobj_description(d.oid, 'pg_database') IS NULL
                  AND pg_get_userbyid(d.datdba) = :'role_name')
      \gexec

      -- Role (created together with its marker, in one transaction). Password
      -- and connection limit are set by the role_settings step.
      BEGIN;
      SELECT format('CREATE ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 0', :'role_name')
       WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role_name')
      \gexec
      COMMENT ON ROLE :"role_name" IS :'marker';
      COMMIT;

      -- Database owned by the role (CREATE DATABASE cannot run in a transaction).
      SELECT format('CREATE DATABASE %I OWNER %I', :'db_name', :'role_name')
       WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db_name')
      \gexec
      ALTER DATABASE :"db_name" OWNER TO :"role_name";
      COMMENT ON DATABASE :"db_name" IS :'marker';
      -- Only the owner (and superusers) may connect.
      REVOKE ALL ON DATABASE :"db_name" FROM PUBLIC;
      SQL
    EOT
  }

  provisioner "local-exec" {
    when        = destroy
    interpreter = ["/bin/sh", "-c"]
    environment = {
      PAVED_PG_HOST       = self.output.host
      PAVED_PG_PORT       = tostring(self.output.port)
      PAVED_PG_ADMIN_USER = self.output.admin_user
      PAVED_DATABASE      = self.output.database
      PAVED_ROLE          = self.output.role
      PAVED_MARKER        = self.output.marker
    }
    # Destroy-time provisioners may only reference self, so the prelude is
    # repeated here. The admin password comes from the runner's environment
    # (PGPASSWORD / ~/.pgpass), never from state.
    command = <<-EOT
      set -eu
      PGCONNECT_TIMEOUT=10
      export PGCONNECT_TIMEOUT
      psql -X -w -q -v ON_ERROR_STOP=1 -h "$PAVED_PG_HOST" -p "$PAVED_PG_PORT" -U "$PAVED_PG_ADMIN_USER" -d postgres <<'SQL'
      \set VERBOSITY terse
      \getenv db_name PAVED_DATABASE
      \getenv role_name PAVED_ROLE
      \getenv marker PAVED_MARKER

      -- Drop the database only if it is ours; terminate its sessions first.
      SELECT format('DROP DATABASE %I WITH (FORCE)', d.datname)
        FROM pg_database d
       WHERE d.datname = :'db_name'
         AND (shobj_description(d.oid, 'pg_database') = :'marker'
              OR (shobj_description(d.oid, 'pg_database') IS NULL
                  AND pg_get_userbyid(d.datdba) = :'role_name'))
      \gexec
      SELECT format('DO $paved$BEGIN RAISE WARNING %L; END$paved$',
                    format('paved: database %I exists but is not managed by this module; left in place', d.datname))
        FROM pg_database d
       WHERE d.datname = :'db_name'
      \gexec

      -- Then the role, again only if it is ours.
      SELECT format('DROP ROLE %I', r.rolname)
        FROM pg_roles r
       WHERE r.rolname = :'role_name'
         AND shobj_description(r.oid, 'pg_authid') = :'marker'
      \gexec
      SELECT format('DO $paved$BEGIN RAISE WARNING %L; END$paved$',
                    format('paved: role %I exists but is not managed by this module; left in place', r.rolname))
        FROM pg_roles r
       WHERE r.rolname = :'role_name'
      \gexec
      SQL
    EOT
  }
}

# Password, connection limit and role attributes. Replacing this resource only
# re-runs the idempotent ALTER ROLE; it has no destroy step (dropping the role
# is done by terraform_data.database).
resource "terraform_data" "role_settings" {
  input = {
    database         = terraform_data.database.output.database
    username         = terraform_data.database.output.role
    connection_limit = local.connection_limit
  }

  # The password itself is not kept in state: only a SHA-256 salted with the
  # random id of the database resource, to notice that it changed.
  triggers_replace = [
    terraform_data.database.id,
    local.connection_limit,
    sha256("${terraform_data.database.id}:${var.password}"),
  ]

  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    environment = {
      PAVED_PG_HOST          = var.host
      PAVED_PG_PORT          = tostring(var.port)
      PAVED_PG_ADMIN_USER    = var.admin_user
      PAVED_ADMIN_PASSWORD   = var.admin_password
      PAVED_ROLE             = terraform_data.database.output.role
      PAVED_CONNECTION_LIMIT = tostring(local.connection_limit)
      PAVED_ROLE_PASSWORD    = var.password
    }
    command = <<-EOT
      ${local.psql_prelude}
      psql -X -w -q -v ON_ERROR_STOP=1 -h "$PAVED_PG_HOST" -p "$PAVED_PG_PORT" -U "$PAVED_PG_ADMIN_USER" -d postgres <<'SQL'
      \set VERBOSITY terse
      \set SHOW_CONTEXT never
      \getenv role_name PAVED_ROLE
      \getenv conn_limit PAVED_CONNECTION_LIMIT
      \getenv pw PAVED_ROLE_PASSWORD
      -- Keep the password out of the server log.
      SET log_statement = 'none';
      SET log_min_duration_statement = -1;
      SET log_min_error_statement = 'panic';
      ALTER ROLE :"role_name" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
        CONNECTION LIMIT :conn_limit PASSWORD :'pw';
      SQL
    EOT
  }
}
