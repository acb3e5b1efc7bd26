# Turn an HR email into a DocuSign user ID in one account.
data "docusign_user" "alex" {
  account_id = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"
  email      = "alex.leaver@opensam.example"
}

# Or find every membership the user has across the organization.
data "docusign_user" "alex_everywhere" {
  organization_id = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
  email           = "alex.leaver@opensam.example"
}

output "alex_accounts" {
  value = [for m in data.docusign_user.alex_everywhere.memberships : "${m.account_id}: ${m.status}"]
}
