# A membership Terraform owns. Removing this block closes the membership in DocuSign, but only
# for a user Terraform created (created_user = true): someone who already had a DocuSign user in
# another account is added, not created, and stays open unless close_existing_user = true.
resource "docusign_user" "new_hire" {
  account_id              = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"
  email                   = "New.Hire@opensam.example" # kept as written; DocuSign ignores letter case
  user_name               = "New Hire"
  permission_profile_name = "DS Sender" # this account's own profile ID is looked up; older accounts' "DocuSign Sender" is found too
  # first_name and last_name left out: state shows DocuSign's.
}

# A contractor who already signs for another DocuSign account: opt in to closing their
# membership in this account when the block is removed. Their other accounts are never touched.
resource "docusign_user" "contractor" {
  account_id              = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"
  email                   = "contractor@partner.example"
  user_name               = "Casey Contractor"
  permission_profile_name = "DS Viewer"
  close_existing_user     = true
}
