# Close a leaver's membership in one account, by email.
resource "docusign_closed_user" "alex" {
  account_id = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"
  email      = "alex.leaver@opensam.example"
}

# A list of leavers from HR, in the provider's account: removing an email only forgets it,
# adding one closes that user. Concurrent closures share batched API calls.
variable "leavers" {
  type    = set(string)
  default = ["pat.leaver@opensam.example", "sam.leaver@opensam.example"]
}

resource "docusign_closed_user" "leaver" {
  for_each = var.leavers
  email    = each.value
}

# Close by user ID, and give the membership back if this resource is ever destroyed.
resource "docusign_closed_user" "contractor" {
  user_id           = "0d6c5b4a-3928-4170-a6f5-e4d3c2b1a098"
  reopen_on_destroy = true
}
