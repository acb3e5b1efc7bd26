# License management for a DocuSign organization, wired together: a validated profile, two
# exclusion rules, the subscriptions download and consumption for the profile's renewal cycle,
# plus a check that warns when an account nears its envelope allowance or runs out of seats.

terraform {
  required_providers {
    docusign = {
      source = "opensam/docusign"
    }
  }
}

variable "organization_id" {
  type    = string
  default = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
}

provider "docusign" {
  environment      = "demo"
  integration_key  = "8f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
  user_id          = "3a9e5c71-2b4d-4f8e-9a6c-1d2e3f4a5b6c" # an organization administrator
  private_key_file = "${path.module}/docusign.key"
}

resource "docusign_integration_profile" "main" {
  display_name          = "DocuSign (Opensam Holdings)"
  organization_id       = var.organization_id
  contract_start_date   = "2024-01-31"
  renewal_period_months = 12
}

resource "docusign_subscription_identifier_exclusion_rule" "legacy" {
  profile_id = docusign_integration_profile.main.id
  match      = "ends_with"
  identifier = "(Legacy)"
  reason     = "Legacy plans are billed outside the contract"
}

resource "docusign_subscription_user_exclusion_rule" "mailbox" {
  profile_id = docusign_integration_profile.main.id
  email      = "svc.contracts@opensam.example"
  reason     = "Service mailbox"
}

data "docusign_subscriptions" "all" {
  organization_id = docusign_integration_profile.main.organization_id
  exclusion_rules = [
    docusign_subscription_identifier_exclusion_rule.legacy.rule,
    docusign_subscription_user_exclusion_rule.mailbox.rule,
  ]
}

data "docusign_consumption" "cycle" {
  organization_id = docusign_integration_profile.main.organization_id
  period_start    = docusign_integration_profile.main.current_period_start
  period_end      = docusign_integration_profile.main.current_period_end
}

check "license_headroom" {
  assert {
    condition = alltrue([
      for a in data.docusign_consumption.cycle.accounts : a.percent_used == null ? true : a.percent_used <= 90
    ])
    error_message = "Envelope consumption passed 90% of the allowance in: ${join(", ", [
      for a in data.docusign_consumption.cycle.accounts : "${a.account_name} (${floor(a.percent_used)}%)"
      if a.percent_used != null && a.percent_used > 90
    ])}."
  }
  assert {
    condition = alltrue([
      for a in data.docusign_subscriptions.all.accounts : a.seats_allowed == null ? true : a.seats_in_use <= a.seats_allowed
    ])
    error_message = "Seats in use exceed seats allowed in: ${join(", ", [
      for a in data.docusign_subscriptions.all.accounts : "${a.account_name} (${a.seats_in_use}/${a.seats_allowed})"
      if a.seats_allowed != null && a.seats_in_use > a.seats_allowed
    ])}."
  }
}

output "cycle" {
  value = {
    start          = docusign_integration_profile.main.current_period_start
    end            = docusign_integration_profile.main.current_period_end
    envelopes_sent = data.docusign_consumption.cycle.total_envelopes_sent
  }
}

output "subscriptions" {
  value = {
    total        = data.docusign_subscriptions.all.total
    excluded     = data.docusign_subscriptions.all.excluded_count
    counted      = data.docusign_subscriptions.all.counted
    unrecognized = data.docusign_subscriptions.all.unrecognized_identifiers
  }
}
