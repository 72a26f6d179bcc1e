# Example: the backing services of the "demo" service in the "dev" environment,
# built only from the platform team's approved modules.
#
#   export TF_VAR_postgres_password=... TF_VAR_redis_password=... TF_VAR_rabbitmq_password=... \
#     TF_VAR_mariadb_password=...
#   terraform init && terraform apply
#
# Passwords are inputs: generate them outside Terraform (e.g. `openssl rand -base64 24`,
# or your secret store) so that no random provider is needed. The modules keep only
# salted hashes of them in state, but root outputs are always stored in state: the
# *_url outputs below put the passwords there. Drop them if your state is not
# treated as a secret.

terraform {
  required_version = ">= 1.5"
}

variable "service" {
  description = "Service name."
  type        = string
  default     = "demo"
}

variable "environment" {
  description = "Environment name."
  type        = string
  default     = "dev"
}

variable "postgres_password" {
  description = "Password for the service's PostgreSQL role (at least 16 characters)."
  type        = string
  sensitive   = true
}

variable "redis_password" {
  description = "Password for the service's Redis ACL user (at least 16 characters)."
  type        = string
  sensitive   = true
}

variable "mariadb_password" {
  description = "Password for the service's MariaDB user (at least 16 characters)."
  type        = string
  sensitive   = true
}

variable "rabbitmq_password" {
  description = "Password for the service's RabbitMQ user (at least 16 characters, one line, no surrounding whitespace)."
  type        = string
  sensitive   = true
}

module "postgres" {
  source = "../../modules/postgres-database"

  service     = var.service
  environment = var.environment
  size        = "small"
  password    = var.postgres_password
}

module "mariadb" {
  source = "../../modules/mariadb-database"

  service     = var.service
  environment = var.environment
  size        = "small"
  password    = var.mariadb_password
}

module "redis" {
  source = "../../modules/redis-acl-user"

  service     = var.service
  environment = var.environment
  password    = var.redis_password
}

module "rabbitmq" {
  source = "../../modules/rabbitmq-vhost"

  service     = var.service
  environment = var.environment
  password    = var.rabbitmq_password
}

output "postgres_database" {
  value = module.postgres.database
}

output "postgres_username" {
  value = module.postgres.username
}

output "postgres_url" {
  value     = module.postgres.connection_url
  sensitive = true
}

output "mariadb_database" {
  value = module.mariadb.database
}

output "mariadb_username" {
  value = module.mariadb.username
}

output "mariadb_url" {
  value     = module.mariadb.url
  sensitive = true
}

output "redis_username" {
  value = module.redis.username
}

output "redis_key_prefix" {
  value = module.redis.key_prefix
}

output "redis_url" {
  value     = module.redis.url
  sensitive = true
}

output "rabbitmq_vhost" {
  value = module.rabbitmq.vhost
}

output "rabbitmq_username" {
  value = module.rabbitmq.username
}

output "rabbitmq_url" {
  value     = module.rabbitmq.url
  sensitive = true
}
