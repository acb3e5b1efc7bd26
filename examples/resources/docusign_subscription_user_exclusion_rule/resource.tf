# Exclude one person (a service mailbox) in every account and plan. The user is looked up in the
# organization when the rule is created; the rule then matches the user ID.
resource "docusign_subscription_user_exclusion_rule" "contracts_mailbox" {
  profile_id = docusign_integration_profile.main.id
  email      = "svc.contracts@opensam.example"
  reason     = "Shared service mailbox"
}

resource "docusign_subscription_user_exclusion_rule" "test_user" {
  profile_id = docusign_integration_profile.main.id
  user_id    = "70000004-0000-4000-8000-000000000004"
}
