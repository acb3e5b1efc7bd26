# Runs against the DocuSign emulator: `make test` starts one, builds the provider and passes the
# connection in DOCUSIGN_* environment variables (see internal/provider/module_offboarding_test.go).

provider "docusign" {
  account_id = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"
}

run "closes_account_leavers" {
  variables {
    leavers = ["alex.leaver@opensam.example", "test.user1@opensam.example"]
  }

  assert {
    condition     = length(output.closed_users) == 2
    error_message = "both leavers must be closed"
  }

  assert {
    condition     = output.closed_users["alex.leaver@opensam.example"].closed_account_ids == toset(["4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"])
    error_message = "alex must be closed in the Sales account only"
  }
}

run "closes_organization_leaver_everywhere" {
  variables {
    leavers         = ["jamie.leaver@opensam.example"]
    scope           = "organization"
    organization_id = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
  }

  assert {
    condition     = length(output.closed_users["jamie.leaver@opensam.example"].closed_account_ids) == 2
    error_message = "jamie has memberships in Sales and Legal; both must be closed"
  }
}

run "rejects_unknown_scope" {
  command = plan
  variables {
    leavers = ["alex.leaver@opensam.example"]
    scope   = "everywhere"
  }
  expect_failures = [var.scope]
}
