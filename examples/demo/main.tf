# The demo stack `make demo` applies against the DocuSign emulator: the organization's license
# integration (profile, two exclusion rules, subscriptions with seats idle for 90 days,
# consumption for the profile's renewal cycle, a capacity check) and an offboarding wave of two
# leavers.

terraform {
  required_version = ">= 1.5"
  required_providers {
    docusign = {
      source = "opensam/docusign"
    }
  }
}

provider "docusign" {
  oauth_base_url   = var.oauth_base_url
  admin_base_url   = var.admin_base_url
  monitor_base_url = var.monitor_base_url
  # The emulator speaks plain http on 127.0.0.1; production settings refuse anything but
  # DocuSign's own https hosts unless told otherwise.
  allow_untrusted_hosts = true
  integration_key       = var.integration_key
  user_id               = var.user_id
  private_key_file      = var.private_key_file
  account_id            = var.sales_account_id
}

resource "docusign_integration_profile" "org" {
  display_name          = "Opensam Holdings - DocuSign"
  organization_id       = var.organization_id
  contract_start_date   = var.contract_start_date
  renewal_period_months = 12
}

# Service mailboxes hold a seat but are not people; keep them out of the counts.
resource "docusign_subscription_user_exclusion_rule" "contracts_mailbox" {
  profile_id = docusign_integration_profile.org.id
  email      = "svc.contracts@opensam.example"
  reason     = "Shared contracts mailbox"
}

# The legacy plan is being retired and is reported separately.
resource "docusign_subscription_identifier_exclusion_rule" "legacy_plans" {
  profile_id = docusign_integration_profile.org.id
  identifier = "(Legacy)"
  match      = "ends_with"
  reason     = "Legacy plans are tracked outside the seat count"
}

# Read after the leavers are closed, so the seat count is the one after offboarding. Seats idle
# for idle_after_days (from each account's eSignature last logins) are reclaim candidates; the
# contracts mailbox is excluded, so it never is one.
data "docusign_subscriptions" "org" {
  organization_id = docusign_integration_profile.org.organization_id
  idle_after_days = var.idle_after_days
  depends_on      = [docusign_closed_user.leaver]
  exclusion_rules = [
    docusign_subscription_user_exclusion_rule.contracts_mailbox.rule,
    docusign_subscription_identifier_exclusion_rule.legacy_plans.rule,
  ]
}

# The same seats judged from the organization's DocuSign Monitor stream: logins and envelopes
# sent, in every account, with or without the admin's membership there.
data "docusign_subscriptions" "org_monitor" {
  organization_id = docusign_integration_profile.org.organization_id
  idle_after_days = var.idle_after_days
  activity_source = "monitor"
  depends_on      = [docusign_closed_user.leaver]
  exclusion_rules = [
    docusign_subscription_user_exclusion_rule.contracts_mailbox.rule,
    docusign_subscription_identifier_exclusion_rule.legacy_plans.rule,
  ]
}

data "docusign_consumption" "cycle" {
  organization_id = docusign_integration_profile.org.organization_id
  period_start    = docusign_integration_profile.org.current_period_start
  period_end      = docusign_integration_profile.org.current_period_end
}

resource "docusign_closed_user" "leaver" {
  for_each = toset(var.leavers)
  email    = each.value
}

check "capacity" {
  assert {
    condition     = alltrue([for a in data.docusign_subscriptions.org.accounts : a.seats_allowed == null ? true : a.seats_in_use <= a.seats_allowed])
    error_message = "Seats in use exceed seats allowed in: ${join(", ", [for a in data.docusign_subscriptions.org.accounts : a.account_name if a.seats_allowed != null && a.seats_in_use > coalesce(a.seats_allowed, 0)])}."
  }

  assert {
    condition     = alltrue([for a in data.docusign_consumption.cycle.accounts : coalesce(a.percent_used, 0) < 90])
    error_message = "Envelope consumption passed 90% in: ${join(", ", [for a in data.docusign_consumption.cycle.accounts : a.account_name if coalesce(a.percent_used, 0) >= 90])}."
  }
}
