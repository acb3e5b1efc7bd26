output "scope" {
  description = "The scope the module closed in: \"organization\" (the default when organization_id is set) or \"account\"."
  value       = local.scope
}

output "closed_users" {
  description = "The leavers closed, keyed by the email or user ID as given: user ID, email, and the accounts their memberships were closed in."
  value = merge(
    {
      for key, user in docusign_closed_user.leaver : key => {
        user_id            = user.user_id
        email              = user.email
        closed_account_ids = toset([user.account_id])
      }
    },
    {
      for key, user in docusign_organization_closed_user.leaver : key => {
        user_id            = user.user_id
        email              = user.email
        closed_account_ids = user.closed_account_ids
      }
    },
  )
}
