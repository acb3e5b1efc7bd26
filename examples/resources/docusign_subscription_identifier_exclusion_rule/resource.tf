# Exclude a whole plan from the license counts (equals is the default match).
resource "docusign_subscription_identifier_exclusion_rule" "legacy" {
  profile_id = docusign_integration_profile.main.id
  identifier = "eSignature Standard (Legacy)"
  reason     = "Legacy plan, billed separately"
}

# A provider extension: match identifiers with an RE2 regular expression.
resource "docusign_subscription_identifier_exclusion_rule" "sandbox_plans" {
  profile_id     = docusign_integration_profile.main.id
  match          = "regex"
  identifier     = "^(Developer|Sandbox) "
  case_sensitive = true
  active         = false # kept for audits, excludes nothing while inactive
}
