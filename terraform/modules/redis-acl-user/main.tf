locals {
  username   = "${var.service}-${var.environment}"
  key_prefix = "${var.service}:${var.environment}:"

  url_host = strcontains(var.host, ":") ? "[${var.host}]" : var.host

  # Shell prelude shared by the create-time provisioners. Every value reaches
  # the shell only through environment variables; nothing is interpolated into
  # the commands.
  #
  # rc: redis-cli as the admin (password in REDISCLI_AUTH, never on argv;
  #     -e: exit non-zero on error replies).
  # ACL WHOAMI check: redis-cli falls back to the "default" user when AUTH
  #     fails, so make sure we really are who we think we are.
  # owned_state: "absent", "ours" (the user's only key pattern is our prefix)
  #     or "foreign" (a user of that name with other key patterns exists).
  # persist: ACL SAVE when the server has an aclfile.
  redis_prelude = <<-EOT
    set -eu
    if [ -n "$PAVED_ADMIN_PASSWORD" ]; then
      REDISCLI_AUTH="$PAVED_ADMIN_PASSWORD"
      export REDISCLI_AUTH
    fi
    unset PAVED_ADMIN_PASSWORD
    rc() {
      if [ -n "$PAVED_REDIS_ADMIN_USER" ]; then
        redis-cli --no-auth-warning -e -h "$PAVED_REDIS_HOST" -p "$PAVED_REDIS_PORT" --user "$PAVED_REDIS_ADMIN_USER" "$@"
      else
        redis-cli --no-auth-warning -e -h "$PAVED_REDIS_HOST" -p "$PAVED_REDIS_PORT" "$@"
      fi
    }
    expected="$PAVED_REDIS_ADMIN_USER"
    [ -n "$expected" ] || expected=default
    whoami=$(rc ACL WHOAMI)
    if [ "$whoami" != "$expected" ]; then
      echo "paved: could not authenticate to Redis as $expected (server says: $whoami)" >&2
      exit 1
    fi
    owned_state() {
      info=$(rc --raw ACL GETUSER "$PAVED_ACL_USER")
      if [ -z "$info" ]; then
        echo absent
      elif printf '%s\n' "$info" | grep -qxF -- "~$PAVED_KEY_PREFIX*"; then
        echo ours
      else
        echo foreign
      fi
    }
    persist() {
      cfg=$(rc --raw CONFIG GET aclfile)
      aclfile=$(printf '%s\n' "$cfg" | sed -n 2p)
      if [ -n "$aclfile" ]; then
        rc ACL SAVE >/dev/null
      else
        echo "paved: warning: the Redis server has no aclfile; ACL user $PAVED_ACL_USER exists in memory only" >&2
      fi
    }
  EOT
}

# The ACL user's identity (name and key pattern). Replaced only when the
# name, prefix or server changes. Password changes are handled by
# terraform_data.credentials, so rotating a password does not delete the user.
resource "terraform_data" "user" {
  input = {
    host       = var.host
    port       = var.port
    admin_user = var.admin_user
    username   = local.username
    key_prefix = local.key_prefix
  }

  triggers_replace = [var.host, var.port, local.username, local.key_prefix]

  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    environment = {
      PAVED_REDIS_HOST       = var.host
      PAVED_REDIS_PORT       = tostring(var.port)
      PAVED_REDIS_ADMIN_USER = var.admin_user
      PAVED_ADMIN_PASSWORD   = var.admin_password
      PAVED_ACL_USER         = local.username
      PAVED_KEY_PREFIX       = local.key_prefix
    }
    command = <<-EOT
      ${local.redis_prelude}
      state=$(owned_state)
      case "$state" in
        foreign)
          echo "paved: Redis ACL user $PAVED_ACL_USER already exists with other key patterns; refusing to adopt it" >&2
          exit 1
          ;;
        absent)
          # Disabled until the credentials step sets its password and rules.
          rc ACL SETUSER "$PAVED_ACL_USER" reset off "~$PAVED_KEY_PREFIX*" "&$PAVED_KEY_PREFIX*" >/dev/null
          persist
          ;;
      esac
    EOT
  }

  provisioner "local-exec" {
    when        = destroy
    interpreter = ["/bin/sh", "-c"]
    environment = {
      PAVED_REDIS_HOST       = self.output.host
      PAVED_REDIS_PORT       = tostring(self.output.port)
      PAVED_REDIS_ADMIN_USER = self.output.admin_user
      PAVED_ACL_USER         = self.output.username
      PAVED_KEY_PREFIX       = self.output.key_prefix
    }
    # Destroy-time provisioners may only reference self, so this script is
    # self-contained. The admin password comes from REDISCLI_AUTH in the
    # runner's environment, never from state.
    command = <<-EOT
      set -eu
      rc() {
        if [ -n "$PAVED_REDIS_ADMIN_USER" ]; then
          redis-cli --no-auth-warning -e -h "$PAVED_REDIS_HOST" -p "$PAVED_REDIS_PORT" --user "$PAVED_REDIS_ADMIN_USER" "$@"
        else
          redis-cli --no-auth-warning -e -h "$PAVED_REDIS_HOST" -p "$PAVED_REDIS_PORT" "$@"
        fi
      }
      expected="$PAVED_REDIS_ADMIN_USER"
      [ -n "$expected" ] || expected=default
      whoami=$(rc ACL WHOAMI)
      if [ "$whoami" != "$expected" ]; then
        echo "paved: could not authenticate to Redis as $expected (server says: $whoami); set REDISCLI_AUTH" >&2
        exit 1
      fi
      info=$(rc --raw ACL GETUSER "$PAVED_ACL_USER")
      if [ -z "$info" ]; then
        echo "paved: Redis ACL user $PAVED_ACL_USER is already gone"
      elif printf '%s\n' "$info" | grep -qxF -- "~$PAVED_KEY_PREFIX*"; then
        rc ACL DELUSER "$PAVED_ACL_USER" >/dev/null
        cfg=$(rc --raw CONFIG GET aclfile)
        aclfile=$(printf '%s\n' "$cfg" | sed -n 2p)
        if [ -n "$aclfile" ]; then rc ACL SAVE >/dev/null; fi
        echo "paved: deleted Redis ACL user $PAVED_ACL_USER"
      else
        echo "paved: warning: Redis ACL user $PAVED_ACL_USER has other key patterns, not managed by this module; left in place" >&2
      fi
    EOT
  }
}

# Password and permissions. Replacing this resource re-runs the idempotent
# ACL SETUSER ... reset ...; it has no destroy step (terraform_data.user
# deletes the user).
resource "terraform_data" "credentials" {
  input = {
    username   = terraform_data.user.output.username
    key_prefix = terraform_data.user.output.key_prefix
  }

  # The password itself is not kept in state: only a SHA-256 salted with the
  # random id of the user resource, to notice that it changed.
  triggers_replace = [
    terraform_data.user.id,
    sha256("${terraform_data.user.id}:${var.password}"),
  ]

  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    environment = {
      PAVED_REDIS_HOST       = var.host
      PAVED_REDIS_PORT       = tostring(var.port)
      PAVED_REDIS_ADMIN_USER = var.admin_user
      PAVED_ADMIN_PASSWORD   = var.admin_password
      PAVED_ACL_USER         = terraform_data.user.output.username
      PAVED_KEY_PREFIX       = terraform_data.user.output.key_prefix
      PAVED_ACL_PASSWORD     = var.password
    }
    # The password is written to redis-cli's stdin (printf is a shell
    # builtin) and read by -x as the last argument, so it never appears on a
    # command line and is never parsed or split by redis-cli.
    command = <<-EOT
      ${local.redis_prelude}
      state=$(owned_state)
      if [ "$state" = foreign ]; then
        echo "paved: Redis ACL user $PAVED_ACL_USER already exists with other key patterns; refusing to adopt it" >&2
        exit 1
      fi
      printf '>%s' "$PAVED_ACL_PASSWORD" |
        rc -x ACL SETUSER "$PAVED_ACL_USER" reset on "~$PAVED_KEY_PREFIX*" "&$PAVED_KEY_PREFIX*" +@all -@dangerous >/dev/null
      persist
    EOT
  }
}
