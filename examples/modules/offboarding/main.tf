# Closes every leaver's DocuSign membership. DocuSign never deletes users; it closes them, and
# closing someone already closed is a success, so re-running the module is always safe.
#
# Leavers are named by email (var.leavers) or, when several users share an email, by user ID
# (var.leaver_user_ids). Each gets one resource, keyed by the email or ID as given.

locals {
  # Organization scope whenever the module knows the organization: leavers often hold seats in
  # several accounts, and account scope would leave the others open without a word.
  scope = coalesce(var.scope, var.organization_id != null ? "organization" : "account")

  targets = merge(
    { for email in var.leavers : email => { email = email, user_id = null } },
    { for id in var.leaver_user_ids : id => { email = null, user_id = id } },
  )
}

# Account scope: one membership each, in one account; concurrent closures share batched calls.
# Memberships in other accounts stay open.
resource "docusign_closed_user" "leaver" {
  for_each = local.scope == "account" ? local.targets : {}

  email             = each.value.email
  user_id           = each.value.user_id
  account_id        = var.account_id
  reopen_on_destroy = var.reopen_on_destroy
}

# Organization scope: every membership each leaver has in the organization's accounts.
resource "docusign_organization_closed_user" "leaver" {
  for_each = local.scope == "organization" ? local.targets : {}

  organization_id   = var.organization_id
  email             = each.value.email
  user_id           = each.value.user_id
  reopen_on_destroy = var.reopen_on_destroy

  lifecycle {
    precondition {
      condition     = var.organization_id != null
      error_message = "organization_id is required when scope is \"organization\"."
    }
  }
}
