# Terraform 1.12 and later: import by identity, the rule ID. DocuSign keeps nothing of a rule, so
# this gives a rule whose state was lost its old ID back (excluded_by keeps naming it); the apply
# takes profile_id and the user from the configuration and looks the user up.
import {
  to = docusign_subscription_user_exclusion_rule.contracts_mailbox
  identity = {
    id = "0b7c6d5e-4f3a-4b2c-9d1e-0f9a8b7c6d5e"
  }
}
