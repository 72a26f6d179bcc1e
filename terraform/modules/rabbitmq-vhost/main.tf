locals {
  vhost    = "${var.service}-${var.environment}"
  username = "${var.service}-${var.environment}"

  # Stored as the vhost's description. It marks the vhost as ours: create
  # refuses to adopt a vhost with another description, and destroy only
  # deletes a vhost carrying this marker. It also tells apart the two
  # (service, environment) pairs that map to the same name, e.g.
  # ("a-b", "c") and ("a", "b-c") -> "a-b-c".
  marker = "managed-by=paved-terraform module=rabbitmq-vhost service=${var.service} environment=${var.environment}"

  url_host = strcontains(var.host, ":") ? "[${var.host}]" : var.host

  # Shell prelude shared by the create-time provisioners. Every value reaches
  # the shell only through environment variables; nothing is interpolated into
  # the commands.
  #
  # rmq:         rabbitmqctl, optionally with --node.
  # vhost_description: "found:<description>" or "" if the vhost is absent.
  # user_state:  "absent", "ours" (no tags and no permissions outside our
  #              vhost, i.e. created by this module, or an unused untagged
  #              user) or "foreign" (e.g. guest, administrators, users of
  #              other vhosts: never adopted, changed or deleted).
  # Helpers are only called as "x=$(helper)" so that set -e applies to them.
  rmq_prelude = <<-EOT
    set -eu
    # Debian/Ubuntu's /usr/sbin/rabbitmqctl is a wrapper that, when run as
    # root, re-parses all its arguments with su -c "..." (only " is escaped),
    # so $(...), `...` and $VAR in an argument would be executed. The inputs
    # are validated, and as a second line of defence nothing but these
    # characters is ever passed as an argument. The password goes on stdin.
    check_safe() {
      for arg in "$@"; do
        case "$arg" in
          *[!A-Za-z0-9\ =._@-]*)
            echo "paved: refusing to pass an argument with unexpected characters to rabbitmqctl: $arg" >&2
            exit 1
            ;;
        esac
      done
    }
    rmq() {
      if [ -n "$PAVED_RMQ_NODE" ]; then
        rabbitmqctl -q --node "$PAVED_RMQ_NODE" "$@"
      else
        rabbitmqctl -q "$@"
      fi
    }
    check_safe "$PAVED_RMQ_NODE" "$PAVED_RMQ_VHOST" "$PAVED_RMQ_USER"
    vhost_description() {
      vhosts=$(rmq -s list_vhosts name description)
      printf '%s\n' "$vhosts" | awk -F '\t' '$1 == ENVIRON["PAVED_RMQ_VHOST"] { print "found:" $2 }'
    }
    user_state() {
      users=$(rmq -s list_users)
      if ! printf '%s\n' "$users" | awk -F '\t' '$1 == ENVIRON["PAVED_RMQ_USER"] { found = 1 } END { exit !found }'; then
        echo absent
        return 0
      fi
      tags=$(printf '%s\n' "$users" | awk -F '\t' '$1 == ENVIRON["PAVED_RMQ_USER"] { print $2 }')
      perms=$(rmq -s list_user_permissions "$PAVED_RMQ_USER")
      elsewhere=$(printf '%s\n' "$perms" | awk -F '\t' 'NF > 0 && $1 != ENVIRON["PAVED_RMQ_VHOST"]')
      if [ "$tags" = "[]" ] && [ -z "$elsewhere" ]; then
        echo ours
      else
        echo foreign
      fi
    }
  EOT
}

# The virtual host (holds the queues and messages). Replaced only when its
# name, user name, marker or node changes. Password changes are handled by
# terraform_data.user, so rotating a password never deletes the vhost.
resource "terraform_data" "vhost" {
  input = {
    node     = var.node
    vhost    = local.vhost
    username = local.username
    marker   = local.marker
  }

  triggers_replace = [var.node, local.vhost, local.username, local.marker]

  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    environment = {
      PAVED_RMQ_NODE   = var.node
      PAVED_RMQ_VHOST  = local.vhost
      PAVED_RMQ_USER   = local.username
      PAVED_RMQ_MARKER = local.marker
    }
    command = <<-EOT
      ${local.rmq_prelude}
      check_safe "$PAVED_RMQ_MARKER"
      desc=$(vhost_description)
      if [ -z "$desc" ]; then
        rmq add_vhost "$PAVED_RMQ_VHOST" --description "$PAVED_RMQ_MARKER" >/dev/null
        echo "paved: created vhost $PAVED_RMQ_VHOST"
      elif [ "$desc" != "found:$PAVED_RMQ_MARKER" ]; then
        echo "paved: vhost $PAVED_RMQ_VHOST already exists and is not managed by this module for this service/environment (description: $(printf '%s' "$desc" | cut -c7-)); refusing to adopt it" >&2
        exit 1
      else
        echo "paved: vhost $PAVED_RMQ_VHOST already exists and is ours"
      fi
    EOT
  }

  provisioner "local-exec" {
    when        = destroy
    interpreter = ["/bin/sh", "-c"]
    environment = {
      PAVED_RMQ_NODE   = self.output.node
      PAVED_RMQ_VHOST  = self.output.vhost
      PAVED_RMQ_USER   = self.output.username
      PAVED_RMQ_MARKER = self.output.marker
    }
    # Destroy-time provisioners may only reference self, so this script is
    # self-contained (same helpers as rmq_prelude). The user goes first, then
    # the vhost; each only if it is ours, and it is fine if either is gone.
    command = <<-EOT
      set -eu
      rmq() {
        if [ -n "$PAVED_RMQ_NODE" ]; then
          rabbitmqctl -q --node "$PAVED_RMQ_NODE" "$@"
        else
          rabbitmqctl -q "$@"
        fi
      }
      # Debian/Ubuntu's /usr/sbin/rabbitmqctl is a wrapper that, when run as
      # root, re-parses all its arguments with su -c "..." (only " is escaped),
      # so $(...), `...` and $VAR in an argument would be executed. The inputs
      # are validated, and as a second line of defence nothing but these
      # characters is ever passed as an argument. The password goes on stdin.
      check_safe() {
        for arg in "$@"; do
          case "$arg" in
            *[!A-Za-z0-9\ =._@-]*)
              echo "paved: refusing to pass an argument with unexpected characters to rabbitmqctl: $arg" >&2
              exit 1
              ;;
          esac
        done
      }
      check_safe "$PAVED_RMQ_NODE" "$PAVED_RMQ_VHOST" "$PAVED_RMQ_USER" "$PAVED_RMQ_MARKER"
      users=$(rmq -s list_users)
      if printf '%s\n' "$users" | awk -F '\t' '$1 == ENVIRON["PAVED_RMQ_USER"] { found = 1 } END { exit !found }'; then
        tags=$(printf '%s\n' "$users" | awk -F '\t' '$1 == ENVIRON["PAVED_RMQ_USER"] { print $2 }')
        perms=$(rmq -s list_user_permissions "$PAVED_RMQ_USER")
        elsewhere=$(printf '%s\n' "$perms" | awk -F '\t' 'NF > 0 && $1 != ENVIRON["PAVED_RMQ_VHOST"]')
        if [ "$tags" = "[]" ] && [ -z "$elsewhere" ]; then
          rmq delete_user "$PAVED_RMQ_USER" >/dev/null
          echo "paved: deleted user $PAVED_RMQ_USER"
        else
          echo "paved: warning: user $PAVED_RMQ_USER has tags or permissions on other vhosts, not managed by this module; left in place" >&2
        fi
      else
        echo "paved: user $PAVED_RMQ_USER is already gone"
      fi
      vhosts=$(rmq -s list_vhosts name description)
      desc=$(printf '%s\n' "$vhosts" | awk -F '\t' '$1 == ENVIRON["PAVED_RMQ_VHOST"] { print "found:" $2 }')
      if [ -z "$desc" ]; then
        echo "paved: vhost $PAVED_RMQ_VHOST is already gone"
      elif [ "$desc" = "found:$PAVED_RMQ_MARKER" ]; then
        rmq delete_vhost "$PAVED_RMQ_VHOST" >/dev/null
        echo "paved: deleted vhost $PAVED_RMQ_VHOST"
      else
        echo "paved: warning: vhost $PAVED_RMQ_VHOST is not managed by this module; left in place" >&2
      fi
    EOT
  }
}

# The user, its password and its permissions. Replacing this resource re-runs
# the idempotent add_user/change_password + set_permissions; it has no destroy
# step (terraform_data.vhost deletes the user).
resource "terraform_data" "user" {
  input = {
    vhost    = terraform_data.vhost.output.vhost
    username = terraform_data.vhost.output.username
  }

  # The password itself is not kept in state: only a SHA-256 salted with the
  # random id of the vhost resource, to notice that it changed.
  triggers_replace = [
    terraform_data.vhost.id,
    sha256("${terraform_data.vhost.id}:${var.password}"),
  ]

  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    environment = {
      PAVED_RMQ_NODE     = var.node
      PAVED_RMQ_VHOST    = terraform_data.vhost.output.vhost
      PAVED_RMQ_USER     = terraform_data.vhost.output.username
      PAVED_RMQ_PASSWORD = var.password
    }
    # The password is written to rabbitmqctl's standard input (printf is a
    # shell builtin): add_user and change_password read it from there when it
    # is not given as an argument, so it never appears on a command line.
    command = <<-EOT
      ${local.rmq_prelude}
      state=$(user_state)
      case "$state" in
        foreign)
          echo "paved: user $PAVED_RMQ_USER already exists with tags or permissions on other vhosts; refusing to adopt it" >&2
          exit 1
          ;;
        ours)
          printf '%s' "$PAVED_RMQ_PASSWORD" | rmq change_password "$PAVED_RMQ_USER" >/dev/null
          ;;
        absent)
          printf '%s' "$PAVED_RMQ_PASSWORD" | rmq add_user "$PAVED_RMQ_USER" >/dev/null
          ;;
      esac
      rmq set_permissions -p "$PAVED_RMQ_VHOST" "$PAVED_RMQ_USER" '.*' '.*' '.*' >/dev/null
    EOT
  }
}
