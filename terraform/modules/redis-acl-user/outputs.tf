output "username" {
  description = "ACL user name (<service>-<environment>)."
  value       = terraform_data.credentials.output.username
}

output "key_prefix" {
  description = "Key prefix the user is limited to (<service>:<environment>:). Pub/Sub channels are limited to the same prefix."
  value       = terraform_data.credentials.output.key_prefix
}

output "host" {
  description = "Redis host."
  value       = var.host
}

output "port" {
  description = "Redis port."
  value       = var.port
}

output "password" {
  description = "Password of the ACL user (the one passed in)."
  sensitive   = true
  value       = var.password
}

output "url" {
  description = "redis://user:password@host:port (password URL-encoded)."
  sensitive   = true
  value = format(
    "redis://%s:%s@%s:%d",
    terraform_data.credentials.output.username,
    replace(urlencode(var.password), "+", "%20"),
    local.url_host,
    var.port,
  )
}
