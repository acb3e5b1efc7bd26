# Every active user of the Sales account, as docusign_user resources to import.
list "docusign_user" "sales_active" {
  provider = docusign
  config {
    account_id = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21" # default: the provider's account_id
    status     = "active"                               # any letter case
  }
}

# One user by email, whatever its letter case.
list "docusign_user" "priya" {
  provider = docusign
  config {
    email = "Priya.Shah@opensam.example"
  }
}
