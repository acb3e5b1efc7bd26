// Command terraform-provider-docusign serves the DocuSign provider to Terraform.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/opensam/terraform-provider-docusign/internal/provider"
)

// version is stamped by goreleaser through -ldflags "-X main.version=…".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/opensam/docusign",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
