# Closes every leaver's DocuSign membership. DocuSign never deletes users; it closes them, and
# closing someone already closed is a success, so re-running the module is always safe.

# scope = "account": one membership each, in one account; concurrent closures share batched calls.
resource "docusign_closed_user" "leaver" {
  for_each = var.scope == "account" ? var.leavers : toset([])

  email             = each.value
  account_id        = var.account_id
  reopen_on_destroy = var.reopen_on_destroy
}

# scope = "organization": every membership each leaver has in the organization's accounts.
resource "docusign_organization_closed_user" "leaver" {
  for_each = var.scope == "organization" ? var.leavers : toset([])

  organization_id   = var.organization_id
  email             = each.value
  reopen_on_destroy = var.reopen_on_destroy

  lifecycle {
    precondition {
      condition     = var.organization_id != null
      error_message = "organization_id is required when scope is \"organization\"."
    }
  }
}
