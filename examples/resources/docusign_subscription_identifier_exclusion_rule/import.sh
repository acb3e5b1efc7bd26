# Rules live only in Terraform state. Import one as <profile_id>/<match>/<identifier>; the
# identifier may contain slashes. The imported rule gets a new rule ID.
terraform import docusign_subscription_identifier_exclusion_rule.legacy '6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f/equals/eSignature Standard (Legacy)'
