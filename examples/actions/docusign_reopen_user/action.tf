# Break-glass: give a user closed by mistake their membership back, now:
#   terraform apply -invoke=action.docusign_reopen_user.returning
# If a docusign_closed_user still declares them, remove it first, or its next plan closes them again.
action "docusign_reopen_user" "returning" {
  config {
    account_id = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"
    email      = "alex.leaver@opensam.example"
  }
}
