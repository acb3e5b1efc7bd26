# Closes every leaver's DocuSign membership. DocuSign never deletes users; it closes them, and
# closing someone already closed is a success, so re-running the module is always safe.
resource "docusign_closed_user" "leaver" {
  for_each = var.leavers

  email             = each.value
  scope             = var.scope
  account_id        = var.scope == "account" ? var.account_id : null
  organization_id   = var.scope == "organization" ? var.organization_id : null
  reopen_on_destroy = var.reopen_on_destroy
}
