# A closure in one account, by user ID or by email.
terraform import docusign_closed_user.alex 4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21/alex.leaver@opensam.example

# A closure across an organization.
terraform import docusign_closed_user.jamie organization/6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f/0d6c5b4a-3928-4170-a6f5-e4d3c2b1a098
