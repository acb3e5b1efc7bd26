# Terraform 1.12 and later: import by identity, the account ID and the user ID.
import {
  to = docusign_user.new_hire
  identity = {
    account_id = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"
    user_id    = "0d6c5b4a-3928-4170-a6f5-e4d3c2b1a098"
  }
}
