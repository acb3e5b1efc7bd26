# Terraform 1.12 and later: import by identity, the profile ID (the organization ID). The contract
# fields come from the configuration on the plan that follows.
import {
  to = docusign_integration_profile.main
  identity = {
    id = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
  }
}
