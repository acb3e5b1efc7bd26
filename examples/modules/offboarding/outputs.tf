output "closed_users" {
  description = "The leavers closed, by email: user ID and the accounts their memberships were closed in."
  value = merge(
    {
      for email, user in docusign_closed_user.leaver : email => {
        user_id            = user.user_id
        closed_account_ids = toset([user.account_id])
      }
    },
    {
      for email, user in docusign_organization_closed_user.leaver : email => {
        user_id            = user.user_id
        closed_account_ids = user.closed_account_ids
      }
    },
  )
}
