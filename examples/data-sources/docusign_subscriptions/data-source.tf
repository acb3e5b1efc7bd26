# Who holds a seat, on which account and plan; rules are passed by reference.
data "docusign_subscriptions" "all" {
  organization_id = docusign_integration_profile.main.organization_id
  include_closed  = false
  exclusion_rules = [
    docusign_subscription_identifier_exclusion_rule.legacy.rule,
    docusign_subscription_user_exclusion_rule.contracts_mailbox.rule,
  ]
}

output "counted_subscriptions" {
  value = data.docusign_subscriptions.all.counted
}

output "unrecognized_plans" {
  value = data.docusign_subscriptions.all.unrecognized_identifiers
}
