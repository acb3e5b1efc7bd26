// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Command docusign-emulator serves the in-memory DocuSign on a local address for the demo,
// benchmarks and manual runs. When it listens it writes
// {"url","oauth_base_url","admin_base_url","monitor_base_url"} to --ready-file and prints the same
// line, then runs until SIGINT or SIGTERM. With --tls-cert and --tls-key it serves https, and every
// URL it hands out (userinfo base_uri, paging links) is https.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	if err := run(os.Args[1:], os.Stdout, stop); err != nil {
		log.Fatalf("docusign-emulator: %v", err)
	}
}

// run serves until stop delivers; it returns an error only when it could not start.
func run(args []string, stdout io.Writer, stop <-chan os.Signal) error {
	flags := flag.NewFlagSet("docusign-emulator", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:0", "address to listen on")
	fixturePath := flags.String("fixture", "", "fixture JSON file (required)")
	readyFile := flags.String("ready-file", "", "file to write the listening URLs to, as JSON")
	tokenTTL := flags.Duration("token-ttl", time.Hour, "access token lifetime")
	hourly := flags.Int("hourly-limit", 3000, "API calls per hour per account")
	burst := flags.Int("burst-limit", 500, "API calls per 30 seconds per account")
	tlsCert := flags.String("tls-cert", "", "PEM certificate file; with --tls-key, serve https")
	tlsKey := flags.String("tls-key", "", "PEM private key file of --tls-cert")
	verbose := flags.Bool("v", false, "log each request")
	jobDelay := flags.Duration("job-delay", 0, "how long each bulk export or import takes to complete (PUT /_emulator/jobs changes it later)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *fixturePath == "" {
		return errors.New("--fixture is required")
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return errors.New("--tls-cert and --tls-key go together: give both to serve https, or neither")
	}
	fixture, err := emulator.LoadFixture(*fixturePath)
	if err != nil {
		return err
	}
	opts := emulator.Options{TokenTTL: *tokenTTL, HourlyLimit: *hourly, BurstLimit: *burst}
	if *verbose {
		opts.Logf = log.Printf
	}
	var srv *emulator.Server
	if *tlsCert != "" {
		srv, err = emulator.ListenTLS(*addr, *tlsCert, *tlsKey, fixture, opts, nil)
	} else {
		srv, err = emulator.Listen(*addr, fixture, opts, nil)
	}
	if err != nil {
		return err
	}
	defer srv.Close()
	srv.SetJobSettings(emulator.JobSettings{DelayMS: int(jobDelay.Milliseconds())})
	ready, _ := json.Marshal(map[string]string{"url": srv.URL, "oauth_base_url": srv.OAuthBaseURL,
		"admin_base_url": srv.AdminBaseURL, "monitor_base_url": srv.MonitorBaseURL})
	if *readyFile != "" {
		tmp := *readyFile + ".tmp"
		if err := os.WriteFile(tmp, ready, 0o600); err != nil {
			return err
		}
		if err := os.Rename(tmp, *readyFile); err != nil {
			return err
		}
	}
	fmt.Fprintln(stdout, string(ready))
	<-stop
	return nil
}
