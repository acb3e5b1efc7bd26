variable "leavers" {
  description = "Emails of the people leaving, in any letter case. Removing an email later only forgets it; adding one closes that user. When DocuSign reports that several users share an email, name the one to close in leaver_user_ids instead."
  type        = set(string)
  default     = []
}

variable "leaver_user_ids" {
  description = "User ID GUIDs of people leaving, for leavers an email cannot name alone (several users share it). Same lifecycle as leavers."
  type        = set(string)
  default     = []
  validation {
    condition     = alltrue([for id in var.leaver_user_ids : can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", id))])
    error_message = "leaver_user_ids must hold DocuSign user ID GUIDs such as 3a9e5c71-2b4d-4f8e-9a6c-1d2e3f4a5b6c."
  }
}

variable "scope" {
  description = "Where to close. organization: every membership in organization_id's accounts (docusign_organization_closed_user); the default when organization_id is set. account: only the membership in account_id, or the provider's account (docusign_closed_user); the default otherwise. Account scope does NOT close the leaver's memberships in any other account."
  type        = string
  default     = null
  validation {
    condition     = var.scope == null || contains(["account", "organization"], coalesce(var.scope, "account"))
    error_message = "scope must be \"account\" or \"organization\"."
  }
}

variable "account_id" {
  description = "Account to close memberships in when the scope is account; null means the provider's account_id."
  type        = string
  default     = null
}

variable "organization_id" {
  description = "Organization whose accounts the leavers are closed in. Setting it makes organization the default scope."
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
