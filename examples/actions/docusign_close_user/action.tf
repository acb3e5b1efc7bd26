# Break-glass: close a leaver now, from a pipeline, without adding anything to state:
#   terraform apply -invoke=action.docusign_close_user.leaver
action "docusign_close_user" "leaver" {
  config {
    account_id = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"
    email      = "alex.leaver@opensam.example"
  }
}

# Or close a user after another resource is created, for example a ticket record.
action "docusign_close_user" "contractor" {
  config {
    user_id = "0d6c5b4a-3928-4170-a6f5-e4d3c2b1a098"
  }
}

resource "terraform_data" "offboarding_ticket" {
  input = "HR-4711"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.docusign_close_user.contractor]
    }
  }
}
