# Close every membership a leaver has in the organization's accounts.
resource "docusign_organization_closed_user" "jamie" {
  organization_id = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
  email           = "jamie.leaver@opensam.example"
}

output "jamie_closed_in" {
  value = docusign_organization_closed_user.jamie.closed_account_ids
}
