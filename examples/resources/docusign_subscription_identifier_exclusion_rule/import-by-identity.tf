# Terraform 1.12 and later: import by identity, the rule ID. DocuSign keeps nothing of a rule, so
# this gives a rule whose state was lost its old ID back (excluded_by keeps naming it); the apply
# takes the rest from the configuration.
import {
  to = docusign_subscription_identifier_exclusion_rule.legacy
  identity = {
    id = "1c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f"
  }
}
