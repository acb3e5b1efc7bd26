// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Command terraform-provider-docusign serves the DocuSign provider to Terraform.
package main

import (
	"flag"
	"log"
	"os"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/opensam/terraform-provider-docusign/internal/provider"
)

// version is stamped by goreleaser through -ldflags "-X main.version=…".
var version = "dev"

// The provider makes garbage quickly (every RPC converts values through the framework), and Go's
// default collector spends a third of the provider's CPU on it. A higher GC percent halves that;
// the memory limit keeps a 20,000-user subscriptions read under 200 MB anyway. Measured with
// `make bench`.
//
// The limit is also what holds the transport's memory budget (256 MiB of answers being read at
// once) near its size: every answer read leaves its bytes as garbage, and without the limit, at
// GC percent 200, ten concurrent 100 MiB answers took the provider to 606 MB, against about
// 300 MB with it (`go run ./tools/bench -only memory`). When the budget is full the heap is past
// the limit and the collector runs back to back, within the runtime's cap of half the CPU; only
// hostile answers get there. So GOGC and GOMEMLIMIT in the environment each override only their
// own setting: a GOGC alone must not drop the limit.
const (
	gcPercent   = 200
	memoryLimit = 165 << 20
)

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	quietSDKLogs()
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}

	var opts []tf6server.ServeOpt
	if debugMode {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// provider.NewProtocol6Server is the framework's server plus one shortcut for large data source
	// results; providerserver.Serve would serve the framework's alone.
	server := provider.NewProtocol6Server(version)
	err := tf6server.Serve("registry.terraform.io/opensam/docusign", func() tfprotov6.ProviderServer {
		s, err := server()
		if err != nil {
			log.Fatal(err.Error())
		}
		return s
	}, opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}

// quietSDKLogs turns the plugin SDK's own trace logs off when nobody asked for logs. The SDK
// writes them regardless of TF_LOG (hashicorp/terraform-plugin-framework#1269) and terraform
// parses and drops them, which costs more CPU per resource than the provider's own work.
// Anyone who sets TF_LOG or a TF_LOG_SDK* variable gets the SDK's logs as usual.
func quietSDKLogs() {
	for _, name := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		if os.Getenv(name) != "" {
			return
		}
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		_ = os.Setenv(name, "off")
	}
}
