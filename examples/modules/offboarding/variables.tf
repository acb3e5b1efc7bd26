variable "leavers" {
  description = "Emails of the people leaving. Removing an email later only forgets it; adding one closes that user."
  type        = set(string)
}

variable "scope" {
  description = "account: close the membership in account_id (or the provider's account) with docusign_closed_user. organization: close every membership in organization_id's accounts with docusign_organization_closed_user."
  type        = string
  default     = "account"
  validation {
    condition     = contains(["account", "organization"], var.scope)
    error_message = "scope must be \"account\" or \"organization\"."
  }
}

variable "account_id" {
  description = "Account to close memberships in when scope is account; null means the provider's account_id."
  type        = string
  default     = null
}

variable "organization_id" {
  description = "Organization whose accounts are searched when scope is organization (required then)."
  type        = string
  default     = null
  validation {
    condition     = var.organization_id == null || can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", var.organization_id))
    error_message = "organization_id must be a GUID."
  }
}

variable "reopen_on_destroy" {
  description = "Reopen the leavers' memberships when this module is destroyed (for rehires and mistakes)."
  type        = bool
  default     = false
}
