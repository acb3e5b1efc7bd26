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

# Seats idle for 90 days, read from each account's eSignature last logins; the excluded
# mailbox is never a candidate, and users whose activity cannot be read never are either.
data "docusign_subscriptions" "idle" {
  organization_id = docusign_integration_profile.main.organization_id
  idle_after_days = 90
  activity_source = "esignature" # or "monitor" with the DocuSign Monitor add-on
  exclusion_rules = [
    docusign_subscription_user_exclusion_rule.contracts_mailbox.rule,
  ]
}

output "reclaimable_seats" {
  value = {
    for r in data.docusign_subscriptions.idle.reclaimable_seats :
    "${r.account_name} / ${r.plan_name}" => r.reclaimable_seats
  }
}

# A large organization: counts only, read from one user-list export whatever the source "auto"
# would pick, with room for DocuSign to build the export.
data "docusign_subscriptions" "counts" {
  organization_id = docusign_integration_profile.main.organization_id
  source          = "export"
  include_members = false
  timeouts {
    read = "30m"
  }
}

output "seats_by_plan" {
  value = { for p in data.docusign_subscriptions.counts.plans : p.subscription_identifier => p.counted }
}
