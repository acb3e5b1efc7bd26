# An organization-wide closure: <organization_id>/<user_id or email>. Only a user closed in every
# account can be imported; otherwise declare the resource and apply, which closes them.
terraform import docusign_organization_closed_user.jamie 6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f/jamie.leaver@opensam.example
