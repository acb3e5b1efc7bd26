# Organization scope: every membership the leaver has in the organization's accounts closes.

provider "docusign" {}

run "closes_organization_leaver_everywhere" {
  variables {
    leavers         = ["morgan.two@opensam.example"]
    scope           = "organization"
    organization_id = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
  }

  assert {
    condition     = length(output.closed_users["morgan.two@opensam.example"].closed_account_ids) == 2
    error_message = "morgan has memberships in Sales and Legal; both must be closed"
  }
}
