# Runs against the DocuSign emulator: `make test` starts one, builds the provider and passes the
# connection in DOCUSIGN_* environment variables (see internal/provider/module_offboarding_test.go).
# The runs share one state, so they walk a leaver list through its life. Without organization_id
# the scope is account.

provider "docusign" {
  account_id = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"
}

run "closes_account_leavers" {
  variables {
    leavers = ["alex.leaver@opensam.example", "jamie.leaver@opensam.example"]
  }

  assert {
    condition     = output.scope == "account"
    error_message = "without organization_id the scope must be account"
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

run "closes_leavers_by_user_id" {
  variables {
    leavers         = ["alex.leaver@opensam.example", "test.user1@opensam.example"]
    leaver_user_ids = ["70000017-0000-4000-8000-000000000017"]
  }

  assert {
    condition     = output.closed_users["70000017-0000-4000-8000-000000000017"].email == "sam.okafor@opensam.example"
    error_message = "the leaver named by user ID must be closed, and their email reported"
  }

  assert {
    condition     = length(output.closed_users) == 3
    error_message = "the leavers named by email must stay closed alongside"
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

run "rejects_a_user_id_that_is_not_a_guid" {
  command = plan
  variables {
    leaver_user_ids = ["sam.okafor@opensam.example"]
  }
  expect_failures = [var.leaver_user_ids]
}
