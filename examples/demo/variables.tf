variable "oauth_base_url" {
  description = "DocuSign account server; make demo points it at the emulator."
  type        = string
}

variable "monitor_base_url" {
  description = "DocuSign Monitor host; the emulator's monitor_base_url."
  type        = string
  default     = null
}

variable "admin_base_url" {
  description = "DocuSign Admin API root; make demo points it at the emulator."
  type        = string
}

variable "private_key_file" {
  description = "RSA private key registered on the integration key."
  type        = string
}

variable "integration_key" {
  type    = string
  default = "8f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
}

variable "user_id" {
  description = "The organization administrator the provider impersonates."
  type        = string
  default     = "3a9e5c71-2b4d-4f8e-9a6c-1d2e3f4a5b6c"
}

variable "organization_id" {
  type    = string
  default = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
}

variable "sales_account_id" {
  type    = string
  default = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"
}

variable "contract_start_date" {
  type    = string
  default = "2025-03-31"
}

variable "leavers" {
  type    = list(string)
  default = ["alex.leaver@opensam.example", "jamie.leaver@opensam.example"]
}

variable "idle_after_days" {
  description = "Days without activity after which an active, counted seat is a reclaim candidate."
  type        = number
  default     = 90
}
