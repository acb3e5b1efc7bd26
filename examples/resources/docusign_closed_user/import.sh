# A closure in one account: <account_id>/<user_id or email>. Only a user who is already closed can be
# imported; for a user who is still open, declare the resource and apply, which closes them.
terraform import docusign_closed_user.alex 4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21/alex.leaver@opensam.example
terraform import docusign_closed_user.contractor 4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21/0d6c5b4a-3928-4170-a6f5-e4d3c2b1a098
