# Organization scope: every membership the leaver has in the organization's accounts closes. It is
# the default as soon as organization_id is set.

provider "docusign" {}

run "organization_id_makes_organization_the_default_scope" {
  variables {
    leavers         = ["morgan.two@opensam.example"]
    organization_id = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
  }

  assert {
    condition     = output.scope == "organization"
    error_message = "with organization_id and no scope, the scope must be organization"
  }

  assert {
    condition     = length(output.closed_users["morgan.two@opensam.example"].closed_account_ids) == 2
    error_message = "morgan has memberships in Sales and Legal; both must be closed"
  }
}

run "a_shared_email_is_followed_through_by_user_id" {
  variables {
    leavers         = ["morgan.two@opensam.example"]
    leaver_user_ids = ["70000030-0000-4000-8000-000000000030"]
    organization_id = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
  }

  assert {
    condition     = output.closed_users["70000030-0000-4000-8000-000000000030"].closed_account_ids == toset(["9d8e7f60-1a2b-4c3d-8e4f-5a6b7c8d9e01"])
    error_message = "the shared inbox named by user ID must be closed in Legal"
  }
}

run "explicit_account_scope_still_wins" {
  command = plan
  variables {
    leavers         = ["morgan.two@opensam.example"]
    organization_id = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
    scope           = "account"
  }

  assert {
    condition     = output.scope == "account"
    error_message = "scope = \"account\" must keep account scope even with organization_id"
  }
}
