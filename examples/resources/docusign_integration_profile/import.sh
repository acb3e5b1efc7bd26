# Import a profile by its organization ID. contract_start_date, renewal_period_months and
# display_name are not stored at DocuSign: the next plan takes them from the configuration.
terraform import docusign_integration_profile.main 6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f
