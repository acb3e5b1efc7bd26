# A token for another provider's configuration, to call a DocuSign API this provider does not
# cover. Needs Terraform 1.10 or later; the token never enters plan or state, so it can only be
# used where Terraform accepts ephemeral values, such as a provider block.
ephemeral "docusign_access_token" "this" {
  account_id = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"
}

provider "restapi" {
  uri = "${ephemeral.docusign_access_token.this.base_uri}/restapi/v2.1/accounts/${ephemeral.docusign_access_token.this.account_id}"
  headers = {
    Authorization = "Bearer ${ephemeral.docusign_access_token.this.access_token}"
  }
}
