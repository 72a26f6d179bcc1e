output "database" {
  description = "Name of the database (<service>_<environment>, dashes turned into underscores)."
  value       = terraform_data.user_settings.output.database
}

output "username" {
  description = "User ('<username>'@'%') with ALL PRIVILEGES on the database only (same name as the database)."
  value       = terraform_data.user_settings.output.username
}

output "host" {
  description = "MariaDB host."
  value       = var.host
}

output "port" {
  description = "MariaDB port."
  value       = var.port
}

output "password" {
  description = "Password of the user (the one passed in)."
  sensitive   = true
  value       = var.password
}

output "url" {
  description = "mysql://user:password@host:port/database (password URL-encoded)."
  sensitive   = true
  value = format(
    "mysql://%s:%s@%s:%d/%s",
    terraform_data.user_settings.output.username,
    replace(urlencode(var.password), "+", "%20"),
    local.url_host,
    var.port,
    terraform_data.user_settings.output.database,
  )
}
