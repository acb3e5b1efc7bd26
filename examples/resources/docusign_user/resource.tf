# A membership Terraform owns: removing this block closes the user in DocuSign.
resource "docusign_user" "new_hire" {
  account_id              = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"
  email                   = "new.hire@opensam.example"
  user_name               = "New Hire"
  first_name              = "New"
  last_name               = "Hire"
  permission_profile_name = "DocuSign Sender"
}
