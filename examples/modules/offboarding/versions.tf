terraform {
  required_version = ">= 1.5"
  required_providers {
    docusign = {
      source = "opensam/docusign"
    }
  }
}
