# The organization-level license integration: applying it validates the connection step by step.
resource "docusign_integration_profile" "main" {
  display_name          = "DocuSign (Opensam Holdings)"
  organization_id       = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
  contract_start_date   = "2024-01-31"
  renewal_period_months = 12
  download_consumption  = true
}

output "current_cycle" {
  value = "${docusign_integration_profile.main.current_period_start} .. ${docusign_integration_profile.main.current_period_end}"
}
