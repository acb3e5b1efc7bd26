# Envelope consumption in the profile's current renewal cycle.
data "docusign_consumption" "cycle" {
  organization_id = docusign_integration_profile.main.organization_id
  period_start    = docusign_integration_profile.main.current_period_start
  period_end      = docusign_integration_profile.main.current_period_end
}

# The cycle containing a given day, from the contract terms.
data "docusign_consumption" "last_year" {
  organization_id       = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
  account_ids           = ["4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"]
  contract_start_date   = "2024-01-31"
  renewal_period_months = 12
  as_of                 = "2025-06-30"
}

# Each account's own DocuSign billing period.
data "docusign_consumption" "billing" {
  organization_id = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
}

output "envelopes_this_cycle" {
  value = data.docusign_consumption.cycle.total_envelopes_sent
}
