# Terraform 1.12 and later: import by identity, the organization ID and the user ID. Only a user
# closed in every account of the organization can be imported.
import {
  to = docusign_organization_closed_user.jamie
  identity = {
    organization_id = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
    user_id         = "70000002-0000-4000-8000-000000000002"
  }
}
