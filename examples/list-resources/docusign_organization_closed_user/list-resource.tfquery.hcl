# The users closed in every account of the organization.
list "docusign_organization_closed_user" "leavers" {
  provider = docusign
  config {
    organization_id = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
  }
}
