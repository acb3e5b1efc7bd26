# Close a leaver's membership in one account, by email.
resource "docusign_closed_user" "alex" {
  account_id = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"
  email      = "alex.leaver@opensam.example"
}

# Close every membership a user has in the organization's accounts.
resource "docusign_closed_user" "jamie" {
  scope           = "organization"
  organization_id = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
  user_id         = "0d6c5b4a-3928-4170-a6f5-e4d3c2b1a098"
}

# A list of leavers from HR: removing an email only forgets it, adding one closes that user.
variable "leavers" {
  type    = set(string)
  default = ["pat.leaver@opensam.example", "sam.leaver@opensam.example"]
}

resource "docusign_closed_user" "leaver" {
  for_each          = var.leavers
  email             = each.value
  reopen_on_destroy = false
}
