# By user ID or email in the provider's default account, or prefixed with an account ID.
# An imported user existed before Terraform (created_user = false): destroy leaves them open
# unless close_existing_user = true.
terraform import docusign_user.new_hire new.hire@opensam.example
terraform import docusign_user.new_hire 4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21/0d6c5b4a-3928-4170-a6f5-e4d3c2b1a098
