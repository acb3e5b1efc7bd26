# Import a user rule as <profile_id>/<user_id> or <profile_id>/<email>. The user is looked up
# in the organization and the imported rule gets a new rule ID.
terraform import docusign_subscription_user_exclusion_rule.contracts_mailbox 6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f/svc.contracts@opensam.example
