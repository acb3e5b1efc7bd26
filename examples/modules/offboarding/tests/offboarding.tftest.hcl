# Runs against the DocuSign emulator: `make test` starts one, builds the provider and passes the
# connection in DOCUSIGN_* environment variables (see internal/provider/module_offboarding_test.go).
# The runs share one state, so they walk a leaver list through its life.

provider "docusign" {
  account_id = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"
}

run "closes_account_leavers" {
  variables {
    leavers = ["alex.leaver@opensam.example", "jamie.leaver@opensam.example"]
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

run "removing_a_leaver_only_forgets_them" {
  variables {
    leavers = ["alex.leaver@opensam.example"]
  }

  assert {
    condition     = keys(output.closed_users) == ["alex.leaver@opensam.example"]
    error_message = "only alex must remain in the module's closed users"
  }
}

run "adding_a_leaver_closes_exactly_them" {
  variables {
    leavers = ["alex.leaver@opensam.example", "test.user1@opensam.example"]
  }

  assert {
    condition     = length(output.closed_users) == 2 && output.closed_users["test.user1@opensam.example"].closed_account_ids == toset(["4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"])
    error_message = "test.user1 must be closed alongside alex"
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
