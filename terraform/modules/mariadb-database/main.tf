locals {
  # <service>_<environment> with dashes turned into underscores, for the
  # database and the user alike. The length limits on the inputs (40 + 1 + 20)
  # keep it under MariaDB's 64-character limit for database names (user names
  # may have up to 128 characters on MariaDB 10.11; MySQL allows only 32).
  name = replace("${var.service}_${var.environment}", "-", "_")

  max_user_connections = {
    small  = 5
    medium = 20
    large  = 50
  }[var.size]

  # Written as the database's COMMENT (information_schema.SCHEMATA.SCHEMA_COMMENT).
  # It marks the database as ours: create refuses to adopt a database with
  # another comment, and destroy only drops a database carrying this marker.
  # It also tells apart the two (service, environment) pairs that map to the
  # same name, e.g. ("a-b", "c") and ("a", "b-c") -> "a_b_c". MariaDB users
  # cannot carry a comment: the user counts as ours when its only privileges
  # are on this database (see user_state in the prelude).
  marker = "managed-by=paved-terraform module=mariadb-database service=${var.service} environment=${var.environment}"

  url_host = strcontains(var.host, ":") ? "[${var.host}]" : var.host

  # Shell prelude shared by the create-time provisioners. Every value reaches
  # the shell only through environment variables; nothing is interpolated into
  # the commands.
  #
  # my:        the mariadb client as the admin, over TCP, reading SQL from
  #            stdin (admin password in MYSQL_PWD, never on argv; stops at the
  #            first error).
  # sql_vars:  SQL that sets @db, @u and @marker. The values reach the SQL text
  #            only as hex literals (X'...', nothing but 0-9a-f), and the
  #            statements are built from them on the server with QUOTE() and
  #            backtick quoting, so no value is ever spliced into SQL by hand.
  # sql_state: one word, <database state>/<user state>:
  #            database: absent | ours (comment is our marker) | foreign;
  #            user 'name'@'%': absent | granted (its only privileges are ALL
  #            on our database) | bare (no privileges at all) | foreign (any
  #            other privilege, role or proxy grant: never adopted or dropped).
  mariadb_prelude = <<-EOT
    set -eu
    if [ -n "$PAVED_ADMIN_PASSWORD" ]; then
      MYSQL_PWD="$PAVED_ADMIN_PASSWORD"
      export MYSQL_PWD
    fi
    unset PAVED_ADMIN_PASSWORD
    my() {
      mariadb --protocol=TCP --connect-timeout=10 --batch --skip-column-names \
        -h "$PAVED_MARIADB_HOST" -P "$PAVED_MARIADB_PORT" -u "$PAVED_MARIADB_ADMIN_USER"
    }
    hex() {
      printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'
    }
    sql_common=$(cat <<'SQL'
    -- A known sql_mode: backslash escapes on, backticks for identifiers, and no
    -- user created implicitly by GRANT.
    SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,NO_AUTO_CREATE_USER';
    SET SESSION lock_wait_timeout = 60;
    SET @db_id = CONCAT('`', REPLACE(@db, '`', '``'), '`');
    -- In GRANT ... ON `db`.*, _ and % are wildcards: a grant on `a_b` also
    -- covers a database `a-b`, which the user could then create. Escaped, the
    -- grant covers exactly our database (mysql.db stores it in this form).
    SET @db_grant = REPLACE(REPLACE(REPLACE(@db, '\\', '\\\\'), '_', '\\_'), '%', '\\%');
    SET @db_grant_id = CONCAT('`', REPLACE(@db_grant, '`', '``'), '`');
    SET @account = CONCAT(QUOTE(@u), '@''%''');
    SET @grantee = CONCAT('''', @u, '''@''%''');
    SQL
    )
    sql_state=$(cat <<'SQL'
    SELECT CONCAT(
      CASE
        WHEN NOT EXISTS (SELECT 1 FROM information_schema.SCHEMATA WHERE BINARY SCHEMA_NAME = BINARY @db) THEN 'absent'
        WHEN EXISTS (SELECT 1 FROM information_schema.SCHEMATA
                      WHERE BINARY SCHEMA_NAME = BINARY @db AND BINARY SCHEMA_COMMENT = BINARY @marker) THEN 'ours'
        ELSE 'foreign'
      END,
      '/',
      CASE
        WHEN NOT EXISTS (SELECT 1 FROM mysql.global_priv WHERE BINARY User = BINARY @u AND Host = '%') THEN 'absent'
        WHEN EXISTS (SELECT 1 FROM information_schema.USER_PRIVILEGES
                      WHERE BINARY GRANTEE = BINARY @grantee AND (PRIVILEGE_TYPE <> 'USAGE' OR IS_GRANTABLE <> 'NO'))
          OR EXISTS (SELECT 1 FROM mysql.db WHERE BINARY User = BINARY @u AND Host = '%'
                      AND (BINARY Db <> BINARY @db_grant OR Grant_priv <> 'N'))
          OR EXISTS (SELECT 1 FROM mysql.tables_priv WHERE BINARY User = BINARY @u AND Host = '%')
          OR EXISTS (SELECT 1 FROM mysql.columns_priv WHERE BINARY User = BINARY @u AND Host = '%')
          OR EXISTS (SELECT 1 FROM mysql.procs_priv WHERE BINARY User = BINARY @u AND Host = '%')
          OR EXISTS (SELECT 1 FROM mysql.roles_mapping WHERE BINARY User = BINARY @u AND Host = '%')
          OR EXISTS (SELECT 1 FROM mysql.proxies_priv WHERE BINARY User = BINARY @u AND Host = '%')
          THEN 'foreign'
        WHEN EXISTS (SELECT 1 FROM mysql.db WHERE BINARY User = BINARY @u AND Host = '%') THEN 'granted'
        ELSE 'bare'
      END);
    SQL
    )
    sql_vars() {
      printf "SET @db = CONVERT(X'%s' USING utf8mb4);\n" "$(hex "$PAVED_DATABASE")"
      printf "SET @u = CONVERT(X'%s' USING utf8mb4);\n" "$(hex "$PAVED_USER")"
      printf "SET @marker = CONVERT(X'%s' USING utf8mb4);\n" "$(hex "$PAVED_MARKER")"
      printf '%s\n' "$sql_common"
    }
  EOT
}

# The database and the user, i.e. the things that hold data and grant access
# to it. Replaced (dropped and re-created) only when the identity changes:
# names, server or marker. Size and password changes are handled by
# terraform_data.user_settings below, so rotating a password never drops the
# database.
resource "terraform_data" "database" {
  input = {
    host       = var.host
    port       = var.port
    admin_user = var.admin_user
    database   = local.name
    username   = local.name
    marker     = local.marker
  }

  triggers_replace = [var.host, var.port, local.name, local.marker]

  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    environment = {
      PAVED_MARIADB_HOST       = var.host
      PAVED_MARIADB_PORT       = tostring(var.port)
      PAVED_MARIADB_ADMIN_USER = var.admin_user
      PAVED_ADMIN_PASSWORD     = var.admin_password
      PAVED_DATABASE           = local.name
      PAVED_USER               = local.name
      PAVED_MARKER             = local.marker
    }
    # The database is created before the user, so a user without our database
    # was not left behind by this module: it is never adopted. The user starts
    # locked; user_settings sets its password and unlocks it.
    command = <<-EOT
      ${local.mariadb_prelude}
      state=$({ sql_vars; printf '%s\n' "$sql_state"; } | my)
      case "$state" in
        foreign/*)
          echo "paved: database $PAVED_DATABASE already exists and is not managed by this module for this service/environment; refusing to adopt it" >&2
          exit 1
          ;;
        */foreign)
          echo "paved: user '$PAVED_USER'@'%' already exists with privileges beyond database $PAVED_DATABASE; refusing to adopt it" >&2
          exit 1
          ;;
        absent/granted | absent/bare)
          echo "paved: user '$PAVED_USER'@'%' already exists but database $PAVED_DATABASE does not, so it was not created by this module; refusing to adopt it" >&2
          exit 1
          ;;
        ours/* | absent/absent) ;;
        *)
          echo "paved: unexpected state from MariaDB: $state" >&2
          exit 1
          ;;
      esac
      { sql_vars; cat <<'SQL'
      EXECUTE IMMEDIATE CONCAT('CREATE DATABASE IF NOT EXISTS ', @db_id, ' CHARACTER SET utf8mb4 COMMENT ', QUOTE(@marker));
      EXECUTE IMMEDIATE CONCAT('CREATE USER IF NOT EXISTS ', @account, ' ACCOUNT LOCK');
      EXECUTE IMMEDIATE CONCAT('GRANT ALL PRIVILEGES ON ', @db_grant_id, '.* TO ', @account);
      SQL
      } | my
    EOT
  }

  provisioner "local-exec" {
    when        = destroy
    interpreter = ["/bin/sh", "-c"]
    environment = {
      PAVED_MARIADB_HOST       = self.output.host
      PAVED_MARIADB_PORT       = tostring(self.output.port)
      PAVED_MARIADB_ADMIN_USER = self.output.admin_user
      PAVED_DATABASE           = self.output.database
      PAVED_USER               = self.output.username
      PAVED_MARKER             = self.output.marker
    }
    # Destroy-time provisioners may only reference self, so the prelude is
    # repeated here. The admin password comes from MYSQL_PWD in the runner's
    # environment (or ~/.my.cnf), never from state.
    #
    # The user goes first (so nobody logs in again), then the sessions using
    # the database or logged in as the user are ended, then the database is
    # dropped: each only if it is ours, and it is fine if either is gone.
    # Sessions are matched by user name only when no other account has that
    # name (MariaDB does not show which account a session authenticated as).
    command = <<-EOT
      set -eu
      my() {
        mariadb --protocol=TCP --connect-timeout=10 --batch --skip-column-names \
          -h "$PAVED_MARIADB_HOST" -P "$PAVED_MARIADB_PORT" -u "$PAVED_MARIADB_ADMIN_USER"
      }
      hex() {
        printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'
      }
      sql_common=$(cat <<'SQL'
      SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,NO_AUTO_CREATE_USER';
      SET SESSION lock_wait_timeout = 60;
      SET @db_id = CONCAT('`', REPLACE(@db, '`', '``'), '`');
      SET @db_grant = REPLACE(REPLACE(REPLACE(@db, '\\', '\\\\'), '_', '\\_'), '%', '\\%');
      SET @account = CONCAT(QUOTE(@u), '@''%''');
      SET @grantee = CONCAT('''', @u, '''@''%''');
      SQL
      )
      sql_vars() {
        printf "SET @db = CONVERT(X'%s' USING utf8mb4);\n" "$(hex "$PAVED_DATABASE")"
        printf "SET @u = CONVERT(X'%s' USING utf8mb4);\n" "$(hex "$PAVED_USER")"
        printf "SET @marker = CONVERT(X'%s' USING utf8mb4);\n" "$(hex "$PAVED_MARKER")"
        printf '%s\n' "$sql_common"
      }
      state=$({ sql_vars; cat <<'SQL'
      SELECT CONCAT(
        CASE
          WHEN NOT EXISTS (SELECT 1 FROM information_schema.SCHEMATA WHERE BINARY SCHEMA_NAME = BINARY @db) THEN 'absent'
          WHEN EXISTS (SELECT 1 FROM information_schema.SCHEMATA
                        WHERE BINARY SCHEMA_NAME = BINARY @db AND BINARY SCHEMA_COMMENT = BINARY @marker) THEN 'ours'
          ELSE 'foreign'
        END,
        '/',
        CASE
          WHEN NOT EXISTS (SELECT 1 FROM mysql.global_priv WHERE BINARY User = BINARY @u AND Host = '%') THEN 'absent'
          WHEN EXISTS (SELECT 1 FROM information_schema.USER_PRIVILEGES
                        WHERE BINARY GRANTEE = BINARY @grantee AND (PRIVILEGE_TYPE <> 'USAGE' OR IS_GRANTABLE <> 'NO'))
            OR EXISTS (SELECT 1 FROM mysql.db WHERE BINARY User = BINARY @u AND Host = '%'
                        AND (BINARY Db <> BINARY @db_grant OR Grant_priv <> 'N'))
            OR EXISTS (SELECT 1 FROM mysql.tables_priv WHERE BINARY User = BINARY @u AND Host = '%')
            OR EXISTS (SELECT 1 FROM mysql.columns_priv WHERE BINARY User = BINARY @u AND Host = '%')
            OR EXISTS (SELECT 1 FROM mysql.procs_priv WHERE BINARY User = BINARY @u AND Host = '%')
            OR EXISTS (SELECT 1 FROM mysql.roles_mapping WHERE BINARY User = BINARY @u AND Host = '%')
            OR EXISTS (SELECT 1 FROM mysql.proxies_priv WHERE BINARY User = BINARY @u AND Host = '%')
            THEN 'foreign'
          WHEN EXISTS (SELECT 1 FROM mysql.db WHERE BINARY User = BINARY @u AND Host = '%') THEN 'granted'
          ELSE 'bare'
        END);
      SQL
      } | my)
      drop_db=FALSE
      drop_user=FALSE
      case "$state" in
        ours/*) drop_db=TRUE ;;
        absent/*) echo "paved: database $PAVED_DATABASE is already gone" ;;
        *) echo "paved: warning: database $PAVED_DATABASE is not managed by this module; left in place" >&2 ;;
      esac
      case "$state" in
        */absent) echo "paved: user '$PAVED_USER'@'%' is already gone" ;;
        foreign/*) echo "paved: warning: user '$PAVED_USER'@'%' belongs with a database not managed by this module; left in place" >&2 ;;
        */granted | */bare) drop_user=TRUE ;;
        *) echo "paved: warning: user '$PAVED_USER'@'%' has privileges beyond database $PAVED_DATABASE, not managed by this module; left in place" >&2 ;;
      esac
      if [ "$drop_db" = FALSE ] && [ "$drop_user" = FALSE ]; then
        exit 0
      fi
      { sql_vars; printf 'SET @drop_db = %s, @drop_user = %s;\n' "$drop_db" "$drop_user"; cat <<'SQL'
      SET @by_user = @drop_user AND NOT EXISTS (
        SELECT 1 FROM mysql.global_priv WHERE (BINARY User = BINARY @u AND Host <> '%') OR User = '');
      DELIMITER ;;
      BEGIN NOT ATOMIC
        DECLARE done BOOLEAN DEFAULT FALSE;
        DECLARE victim BIGINT UNSIGNED;
        DECLARE sessions CURSOR FOR
          SELECT ID FROM information_schema.PROCESSLIST
           WHERE ID <> CONNECTION_ID()
             AND USER <> 'system user'
             AND COMMAND NOT IN ('Daemon', 'Binlog Dump', 'Slave_IO', 'Slave_SQL', 'Slave_worker')
             AND ((@drop_db AND BINARY DB = BINARY @db) OR (@by_user AND BINARY USER = BINARY @u));
        DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = TRUE;
        -- A session that ended by itself in the meantime.
        DECLARE CONTINUE HANDLER FOR 1094 BEGIN END;
        IF @drop_user THEN
          EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS ', @account);
        END IF;
        OPEN sessions;
        kill_loop: LOOP
          FETCH sessions INTO victim;
          IF done THEN
            LEAVE kill_loop;
          END IF;
          KILL CONNECTION victim;
        END LOOP;
        CLOSE sessions;
        IF @drop_db THEN
          EXECUTE IMMEDIATE CONCAT('DROP DATABASE IF EXISTS ', @db_id);
        END IF;
      END;;
      DELIMITER ;
      SQL
      } | my
      if [ "$drop_user" = TRUE ]; then echo "paved: dropped user '$PAVED_USER'@'%'"; fi
      if [ "$drop_db" = TRUE ]; then echo "paved: dropped database $PAVED_DATABASE"; fi
    EOT
  }
}

# Password, connection limit and lock state of the user. Replacing this
# resource only re-runs the idempotent ALTER USER; it has no destroy step
# (dropping the user is done by terraform_data.database).
resource "terraform_data" "user_settings" {
  input = {
    database             = terraform_data.database.output.database
    username             = terraform_data.database.output.username
    max_user_connections = local.max_user_connections
  }

  # The password itself is not kept in state: only a SHA-256 salted with the
  # random id of the database resource, to notice that it changed.
  triggers_replace = [
    terraform_data.database.id,
    local.max_user_connections,
    sha256("${terraform_data.database.id}:${var.password}"),
  ]

  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    environment = {
      PAVED_MARIADB_HOST       = var.host
      PAVED_MARIADB_PORT       = tostring(var.port)
      PAVED_MARIADB_ADMIN_USER = var.admin_user
      PAVED_ADMIN_PASSWORD     = var.admin_password
      PAVED_DATABASE           = terraform_data.database.output.database
      PAVED_USER               = terraform_data.database.output.username
      PAVED_MARKER             = terraform_data.database.output.marker
      PAVED_MAX_CONNECTIONS    = tostring(local.max_user_connections)
      PAVED_USER_PASSWORD      = var.password
    }
    # The password travels only on the client's stdin, as a hex literal; the
    # server turns it into its mysql_native_password hash with PASSWORD(), and
    # ALTER USER (the statement that reaches the binary log) carries only the
    # hash. The general and slow query logs are off for this session.
    command = <<-EOT
      ${local.mariadb_prelude}
      state=$({ sql_vars; printf '%s\n' "$sql_state"; } | my)
      if [ "$state" != ours/granted ]; then
        echo "paved: database $PAVED_DATABASE and user '$PAVED_USER'@'%' are not both managed by this module (state: $state); not changing the user" >&2
        exit 1
      fi
      { sql_vars
        printf "SET @max_conn = CAST(CONVERT(X'%s' USING utf8mb4) AS UNSIGNED);\n" "$(hex "$PAVED_MAX_CONNECTIONS")"
        cat <<'SQL'
      SET SESSION sql_log_off = ON;
      SET SESSION slow_query_log = OFF;
      SET SESSION old_passwords = OFF;
      SQL
        printf "SET @h = PASSWORD(X'%s');\n" "$(hex "$PAVED_USER_PASSWORD")"
        cat <<'SQL'
      EXECUTE IMMEDIATE CONCAT('ALTER USER ', @account, ' IDENTIFIED BY PASSWORD ', QUOTE(@h),
                               ' WITH MAX_USER_CONNECTIONS ', @max_conn, ' ACCOUNT UNLOCK');
      SET @h = NULL;
      SQL
      } | my
    EOT
  }
}
