# The leavers someone closed by hand since the start of September, at most 500 of them.
list "docusign_closed_user" "leavers" {
  provider = docusign
  limit    = 500
  config {
    account_id   = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21" # default: the provider's account_id
    closed_since = "2026-09-01"                           # needs the account's organization (Admin API)
  }
}
