terraform {
  # terraform_data (1.4+) and strcontains() (1.5+). No providers are required:
  # everything here uses Terraform's built-in "terraform" provider, which is
  # part of the terraform binary and is never downloaded.
  required_version = ">= 1.5"
}
