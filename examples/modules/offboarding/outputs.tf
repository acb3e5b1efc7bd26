output "closed_users" {
  description = "The leavers closed, by email: user ID, name and the accounts their memberships were closed in."
  value = {
    for email, user in docusign_closed_user.leaver : email => {
      user_id            = user.user_id
      user_name          = user.user_name
      closed_account_ids = user.closed_account_ids
    }
  }
}
