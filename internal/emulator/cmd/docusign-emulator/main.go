// Command docusign-emulator serves the in-memory DocuSign on a local address for the demo,
// benchmarks and manual runs. When it listens it writes {"url","oauth_base_url","admin_base_url"}
// to --ready-file and prints the same line, then runs until SIGINT or SIGTERM.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	fixturePath := flag.String("fixture", "", "fixture JSON file (required)")
	readyFile := flag.String("ready-file", "", "file to write the listening URLs to, as JSON")
	tokenTTL := flag.Duration("token-ttl", time.Hour, "access token lifetime")
	hourly := flag.Int("hourly-limit", 3000, "API calls per hour per account")
	burst := flag.Int("burst-limit", 500, "API calls per 30 seconds per account")
	verbose := flag.Bool("v", false, "log each request")
	flag.Parse()
	if *fixturePath == "" {
		log.Fatal("docusign-emulator: --fixture is required")
	}
	fixture, err := emulator.LoadFixture(*fixturePath)
	if err != nil {
		log.Fatalf("docusign-emulator: %v", err)
	}
	opts := emulator.Options{TokenTTL: *tokenTTL, HourlyLimit: *hourly, BurstLimit: *burst}
	if *verbose {
		opts.Logf = log.Printf
	}
	srv, err := emulator.Listen(*addr, fixture, opts, nil)
	if err != nil {
		log.Fatalf("docusign-emulator: %v", err)
	}
	ready, _ := json.Marshal(map[string]string{"url": srv.URL, "oauth_base_url": srv.OAuthBaseURL, "admin_base_url": srv.AdminBaseURL})
	if *readyFile != "" {
		tmp := *readyFile + ".tmp"
		if err := os.WriteFile(tmp, ready, 0o600); err != nil {
			log.Fatalf("docusign-emulator: %v", err)
		}
		if err := os.Rename(tmp, *readyFile); err != nil {
			log.Fatalf("docusign-emulator: %v", err)
		}
	}
	fmt.Println(string(ready))

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	srv.Close()
}
