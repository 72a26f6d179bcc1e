#!/usr/bin/env bash
# Tests the platform's approved Terraform modules (terraform/) against this
# machine's PostgreSQL, MariaDB, Redis and RabbitMQ on loopback: formats and
# validates every module, applies the example environment, proves each
# credential works and reaches only its own resources, destroys it and proves
# it is gone (and that another database on the same MariaDB server is not).
# Works on a copy, so no state or .terraform folder lands in the checkout.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
command -v terraform >/dev/null || { paved_log "terraform must be on PATH"; exit 1; }
# The modules call rabbitmqctl, which Debian keeps in /usr/sbin.
case ":$PATH:" in *:/usr/sbin:*) ;; *) export PATH="$PATH:/usr/sbin:/sbin" ;; esac

work="$(mktemp -d /tmp/paved-tf.XXXXXX)"
cp -r "$PAVED_ROOT/terraform" "$work/"
example="$work/terraform/examples/dev-environment"
export TF_IN_AUTOMATION=1 TF_INPUT=0
# An empty CLI config: no provider is ever downloaded, and the machine's
# TF_CLI_CONFIG_FILE may name a file that does not exist.
: >"$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc"
# MariaDB as its admin (root, no password on this machine; MYSQL_PWD if set).
mariadb_root() { mariadb --protocol=TCP -h 127.0.0.1 -P 3306 -u root --batch --skip-column-names "$@"; }
# Another service's database on the same server: out of reach for the new
# user, and left alone by destroy.
other_db="paved_tf_other_$(node -e 'console.log(require("crypto").randomBytes(4).toString("hex"))')"
lookalike=""
cleanup() {
  if [ -f "$work/applied" ]; then
    terraform -chdir="$example" destroy -auto-approve >/dev/null 2>&1 || true
  fi
  mariadb_root -e "drop database if exists \`$other_db\`" >/dev/null 2>&1 || true
  if [ -n "$lookalike" ]; then
    mariadb_root -e "drop database if exists \`$lookalike\`" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

terraform fmt -check -recursive "$work/terraform"
for dir in "$work"/terraform/modules/* "$work"/terraform/examples/*; do
  terraform -chdir="$dir" init -backend=false >/dev/null
  terraform -chdir="$dir" validate -no-color >/dev/null
done
echo "fmt and validate: ok"

password() { node -e 'console.log(require("crypto").randomBytes(18).toString("base64url"))'; }
export TF_VAR_service="ci-$(date +%s)" TF_VAR_environment=dev
export TF_VAR_postgres_password="$(password)" TF_VAR_redis_password="$(password)" \
  TF_VAR_rabbitmq_password="$(password)" TF_VAR_mariadb_password="$(password)"
terraform -chdir="$example" init >/dev/null

# A service name meant for a shell is refused at plan time.
if terraform -chdir="$example" plan -var 'service=x; rm -rf /' >/dev/null 2>"$work/plan.err"; then
  echo "a service name with a shell command was accepted"
  exit 1
fi
grep -q "must start with a lowercase letter" "$work/plan.err"
echo "bad service name refused: ok"

mariadb_root -e "create database \`$other_db\`; create table \`$other_db\`.t (id int)"
touch "$work/applied"
t0=$(date +%s%N)
terraform -chdir="$example" apply -auto-approve >/dev/null
echo "apply: $((($(date +%s%N) - t0) / 1000000)) ms"
out() { terraform -chdir="$example" output -raw "$1"; }
database="$(out postgres_database)" vhost="$(out rabbitmq_vhost)" redis_user="$(out redis_username)"
mariadb_db="$(out mariadb_database)" mariadb_user="$(out mariadb_username)"
# The mariadb client takes no URL: split mariadb_url (decoding the password).
IFS=$'\t' read -r m_user m_password m_host m_port m_db < <(node -e '
  const u = new URL(process.argv[1]);
  console.log([u.username, u.password, u.hostname, u.port, u.pathname.slice(1)].map(decodeURIComponent).join("\t"));
' "$(out mariadb_url)")
[ "$m_user" = "$mariadb_user" ]
[ "$m_db" = "$mariadb_db" ]
[ "$m_password" = "$TF_VAR_mariadb_password" ]
mariadb_as() { MYSQL_PWD="$m_password" mariadb --protocol=TCP -h "$m_host" -P "$m_port" -u "$m_user" "$@"; }

psql "$(out postgres_url)" -qc 'create table paved_check (id int); drop table paved_check'
prefix="$(out redis_key_prefix)"
redis-cli -u "$(out redis_url)" --no-auth-warning SET "${prefix}check" 1 | grep -qx OK
redis-cli -u "$(out redis_url)" --no-auth-warning SET other:check 1 2>&1 | grep -q NOPERM
rabbitmqctl -q list_permissions -p "$vhost" | grep -q "^$(out rabbitmq_username)"
mariadb_as "$m_db" -e 'create table paved_check (id int); drop table paved_check'
if mariadb_as "$other_db" -e 'select count(*) from t' >/dev/null 2>"$work/mariadb.err"; then
  echo "the MariaDB user reached another database"
  exit 1
fi
grep -q "Access denied" "$work/mariadb.err"
# _ is a wildcard in MariaDB grants: the grant must not cover e.g. ci-1-dev.
lookalike="${m_db//_/-}"
if mariadb_as -e "create database \`$lookalike\`" 2>"$work/mariadb.err"; then
  echo "the MariaDB user could create the look-alike database $lookalike"
  exit 1
fi
grep -q "Access denied" "$work/mariadb.err"
echo "credentials work and reach only their own resources: ok"

t0=$(date +%s%N)
terraform -chdir="$example" destroy -auto-approve >/dev/null
rm "$work/applied"
echo "destroy: $((($(date +%s%N) - t0) / 1000000)) ms"
[ "$(psql -h 127.0.0.1 -U postgres -d postgres -Atc "select count(*) from pg_database where datname = '$database'")" = 0 ]
# (Not `! cmd | grep`: set -e ignores a pipeline negated with !.)
if redis-cli ACL LIST | grep -q " $redis_user "; then echo "Redis ACL user $redis_user is still there"; exit 1; fi
if rabbitmqctl -q list_vhosts | grep -qx "$vhost"; then echo "RabbitMQ vhost $vhost is still there"; exit 1; fi
[ "$(mariadb_root -e "select count(*) from information_schema.schemata where schema_name = '$mariadb_db'")" = 0 ]
[ "$(mariadb_root -e "select count(*) from mysql.user where user = '$mariadb_user'")" = 0 ]
[ "$(mariadb_root -e "select count(*) from information_schema.schemata where schema_name = '$other_db'")" = 1 ]
echo "destroy removed the databases and their users, the ACL user and the vhost: ok"
echo "destroy left the other MariaDB database alone: ok"
