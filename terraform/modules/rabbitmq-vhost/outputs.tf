output "vhost" {
  description = "Virtual host (<service>-<environment>)."
  value       = terraform_data.user.output.vhost
}

output "username" {
  description = "User with configure/write/read permissions on the vhost only (<service>-<environment>)."
  value       = terraform_data.user.output.username
}

output "password" {
  description = "Password of the user (the one passed in)."
  sensitive   = true
  value       = var.password
}

output "url" {
  description = "amqp://user:password@host:port/vhost (password and vhost URL-encoded)."
  sensitive   = true
  value = format(
    "amqp://%s:%s@%s:%d/%s",
    terraform_data.user.output.username,
    replace(urlencode(var.password), "+", "%20"),
    local.url_host,
    var.port,
    urlencode(terraform_data.user.output.vhost),
  )
}

output "host" {
  description = "RabbitMQ host (as passed in)."
  value       = var.host
}

output "port" {
  description = "RabbitMQ AMQP port (as passed in)."
  value       = var.port
}
