# An offboarding wave: hundreds of leavers closed as one resource, 100 per DocuSign call.
resource "docusign_closed_users" "q4_wave" {
  account_id = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"
  emails = [
    "alex.leaver@opensam.example",
    "jamie.leaver@opensam.example",
  ]
  user_ids = [
    "70000004-0000-4000-8000-000000000004",
  ]
}
