# The connection: an integration key, the user it impersonates, and the RSA key registered on
# the integration key. Secrets can come from DOCUSIGN_* environment variables instead.
provider "docusign" {
  environment       = "demo"
  integration_key   = "8f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
  user_id           = "3a9e5c71-2b4d-4f8e-9a6c-1d2e3f4a5b6c"
  keystore_file     = "${path.module}/docusign.p12"
  keystore_password = var.keystore_password
}

variable "keystore_password" {
  type      = string
  sensitive = true
}

# A second connection, for example to production, is a provider alias.
provider "docusign" {
  alias            = "production"
  environment      = "production"
  integration_key  = "8f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
  user_id          = "3a9e5c71-2b4d-4f8e-9a6c-1d2e3f4a5b6c"
  private_key_file = "${path.module}/docusign-production.key"
  account_id       = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"
}
