output "database" {
  description = "Name of the database (<service>_<environment>, dashes turned into underscores)."
  value       = terraform_data.role_settings.output.database
}

output "username" {
  description = "Login role that owns the database."
  value       = terraform_data.role_settings.output.username
}

output "host" {
  description = "PostgreSQL host."
  value       = var.host
}

output "port" {
  description = "PostgreSQL port."
  value       = var.port
}

output "connection_url" {
  description = "postgresql://user:password@host:port/database (password URL-encoded)."
  sensitive   = true
  value = format(
    "postgresql://%s:%s@%s:%d/%s",
    terraform_data.role_settings.output.username,
    replace(urlencode(var.password), "+", "%20"),
    local.url_host,
    var.port,
    terraform_data.role_settings.output.database,
  )
}

output "password" {
  description = "Password of the login role (the one passed in)."
  sensitive   = true
  value       = var.password
}
