// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
)

// inProcessProvider is the provider's protocol server with the terraform binary left out: the
// benchmarks below call its RPCs directly, so a profile shows the provider's side of a read
// (API calls, report, the framework's work on the state and its msgpack encoding) and nothing of
// terraform's.
type inProcessProvider struct {
	server  tfprotov6.ProviderServer
	schemas *tfprotov6.GetProviderSchemaResponse
}

func newInProcessProvider(tb testing.TB, factory func() (tfprotov6.ProviderServer, error), srv *emulator.Server, accountID string) *inProcessProvider {
	tb.Helper()
	ctx := context.Background()
	server, err := factory()
	if err != nil {
		tb.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		tb.Fatal(err)
	}
	p := &inProcessProvider{server: server, schemas: schemas}
	settings := map[string]tftypes.Value{
		"oauth_base_url":        tftypes.NewValue(tftypes.String, srv.OAuthBaseURL),
		"admin_base_url":        tftypes.NewValue(tftypes.String, srv.AdminBaseURL),
		"allow_untrusted_hosts": tftypes.NewValue(tftypes.Bool, true),
		"integration_key":       tftypes.NewValue(tftypes.String, demoorg.IntegrationKey),
		"user_id":               tftypes.NewValue(tftypes.String, demoorg.AdminUserID),
		"private_key_file":      tftypes.NewValue(tftypes.String, demoorg.KeyPath()),
	}
	if accountID != "" {
		settings["account_id"] = tftypes.NewValue(tftypes.String, accountID)
	}
	config := p.value(tb, schemas.Provider, settings)
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: config})
	if err != nil {
		tb.Fatal(err)
	}
	failOnErrors(tb, "ConfigureProvider", resp.Diagnostics)
	return p
}

// value is a DynamicValue of the schema's object type: the given attributes, every other one null.
func (p *inProcessProvider) value(tb testing.TB, s *tfprotov6.Schema, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	tb.Helper()
	typ, ok := s.ValueType().(tftypes.Object)
	if !ok {
		tb.Fatalf("the schema's type is %s", s.ValueType())
	}
	attrs := map[string]tftypes.Value{}
	for name, t := range typ.AttributeTypes {
		attrs[name] = tftypes.NewValue(t, nil)
	}
	for name, v := range set {
		if _, ok := typ.AttributeTypes[name]; !ok {
			tb.Fatalf("the schema has no attribute %q", name)
		}
		attrs[name] = v
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
	if err != nil {
		tb.Fatal(err)
	}
	return &dv
}

// readSubscriptions reads data.docusign_subscriptions with the given arguments.
func (p *inProcessProvider) readSubscriptions(tb testing.TB, set map[string]tftypes.Value) *tfprotov6.ReadDataSourceResponse {
	tb.Helper()
	const typeName = "docusign_subscriptions"
	resp, err := p.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{
		TypeName: typeName, Config: p.value(tb, p.schemas.DataSourceSchemas[typeName], set),
	})
	if err != nil {
		tb.Fatal(err)
	}
	failOnErrors(tb, "ReadDataSource", resp.Diagnostics)
	return resp
}

func failOnErrors(tb testing.TB, rpc string, diags []*tfprotov6.Diagnostic) {
	tb.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			tb.Fatalf("%s: %s: %s", rpc, d.Summary, d.Detail)
		}
	}
}

// largeOrganization is the demo key and admin with one organization of generated accounts and
// memberships, as the bench's export scenario builds it.
func largeOrganization(tb testing.TB, accounts, memberships int) (*emulator.Server, string) {
	tb.Helper()
	demo, err := emulator.LoadFixture(demoorg.FixturePath())
	if err != nil {
		tb.Fatal(err)
	}
	var admin emulator.User
	for _, u := range demo.Users {
		if u.ID == demoorg.AdminUserID {
			admin = u
			admin.Memberships = nil
		}
	}
	org := emulator.Organization{ID: demoorg.OrgID, Name: "Large Org", AdminUserIDs: []string{demoorg.AdminUserID},
		PlanItems: demo.Organizations[0].PlanItems}
	srv, err := emulator.Start(&emulator.Fixture{
		IntegrationKeys: demo.IntegrationKeys, Organizations: []emulator.Organization{org}, Users: []emulator.User{admin},
		Generate: &emulator.Generate{Accounts: accounts, Memberships: memberships},
	}, emulator.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(srv.Close)
	view, ok := srv.User(demoorg.AdminUserID)
	if !ok || len(view.Memberships) == 0 {
		tb.Fatal("the generated organization gave the admin no membership")
	}
	return srv, view.Memberships[0].AccountID
}

// TestSubscriptionsServerSendsTheFrameworksState reads data.docusign_subscriptions through the
// provider as served (NewProtocol6Server, the member list spliced into the response) and through
// the framework's own server (the member list in the state as memberListType), and requires the
// same diagnostics and the same state, byte for byte: the shortcut changes nothing terraform sees.
func TestSubscriptionsServerSendsTheFrameworksState(t *testing.T) {
	t.Parallel()
	emu := startLargeEmulator(t, 20, 2500)
	served := newInProcessProvider(t, NewProtocol6Server("test"), emu.Server, "")
	framework := newInProcessProvider(t, providerserver.NewProtocol6WithError(New("test")()), emu.Server, "")
	org := tftypes.NewValue(tftypes.String, testOrgID)
	for name, config := range map[string]map[string]tftypes.Value{
		"export":          {"organization_id": org, "include_closed": tftypes.NewValue(tftypes.Bool, true), "source": tftypes.NewValue(tftypes.String, "export")},
		"list":            {"organization_id": org, "source": tftypes.NewValue(tftypes.String, "list")},
		"activity":        {"organization_id": org, "idle_after_days": tftypes.NewValue(tftypes.Number, 90)},
		"include_members": {"organization_id": org, "include_members": tftypes.NewValue(tftypes.Bool, false)},
	} {
		t.Run(name, func(t *testing.T) {
			want := framework.readSubscriptions(t, config)
			got := served.readSubscriptions(t, config)
			if fmt.Sprint(diagnosticSummaries(got.Diagnostics)) != fmt.Sprint(diagnosticSummaries(want.Diagnostics)) {
				t.Errorf("diagnostics: served %v, framework %v", diagnosticSummaries(got.Diagnostics), diagnosticSummaries(want.Diagnostics))
			}
			if len(want.State.MsgPack) < 1000 && name != "include_members" {
				t.Fatalf("the framework's state is %d bytes: no member list to compare", len(want.State.MsgPack))
			}
			if !bytes.Equal(got.State.MsgPack, want.State.MsgPack) {
				t.Fatalf("the served state (%d bytes) differs from the framework's (%d bytes)", len(got.State.MsgPack), len(want.State.MsgPack))
			}
		})
	}
}

// TestSubscriptionsReadTakesOneGrant: a subscriptions read asks for the organization, plan item
// and user scopes it uses in its first JWT grant, rather than one grant per scope as the calls
// come (three grants before), whichever source it reads.
func TestSubscriptionsReadTakesOneGrant(t *testing.T) {
	emu := startLargeEmulator(t, 20, 500)
	for _, source := range []string{"export", "list"} {
		p := newInProcessProvider(t, NewProtocol6Server("test"), emu.Server, "")
		emu.ResetStats()
		p.readSubscriptions(t, map[string]tftypes.Value{
			"organization_id": tftypes.NewValue(tftypes.String, testOrgID), "source": tftypes.NewValue(tftypes.String, source),
		})
		if st := emu.Stats(); st.TokenGrants != 1 {
			t.Errorf("source %s: %d token grants, want 1", source, st.TokenGrants)
		}
	}
}

func diagnosticSummaries(diags []*tfprotov6.Diagnostic) []string {
	out := make([]string, len(diags))
	for i, d := range diags {
		out[i] = d.Summary + ": " + d.Detail
	}
	return out
}

// watchMemory samples the Go runtime's memory (what it holds from the OS, the closest
// in-process figure to RSS) until the returned function is called, which gives the peak above
// the level at the start: what the reads added on top of the emulator and the idle provider.
func watchMemory() func() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/os-stacks:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := read()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if v := read(); v > base && v-base > peak.Load() {
					peak.Store(v - base)
				}
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		return peak.Load()
	}
}

// BenchmarkSubscriptionsExport100k is the provider's side of the bench's export target
// (100,000 memberships in 50 accounts, source = "export", the member list included): the
// ReadDataSource RPC from the request to the msgpack-encoded state terraform receives. "served"
// is the provider as terraform runs it (NewProtocol6Server: the member list goes around the
// framework's walks over the state); "framework" is the plain framework server, where the list
// goes through them as memberListType.
//
//	go test ./internal/provider/ -run '^$' -bench SubscriptionsExport100k -benchtime 3x -cpuprofile cpu.out -memprofile mem.out
func BenchmarkSubscriptionsExport100k(b *testing.B) {
	srv, account := largeOrganization(b, 50, 100000)
	// The readable export (its own columns, closed memberships included), which the scale figures
	// are for; "served-default" is the emulator's hostile default reading.
	readable := emulator.Behaviour{ExportEmulatorColumns: true, ExportIncludesClosed: true}
	config := map[string]tftypes.Value{
		"organization_id": tftypes.NewValue(tftypes.String, demoorg.OrgID),
		"include_closed":  tftypes.NewValue(tftypes.Bool, true),
		"source":          tftypes.NewValue(tftypes.String, "export"),
	}
	for _, server := range []struct {
		name      string
		factory   func() (tfprotov6.ProviderServer, error)
		behaviour emulator.Behaviour
	}{
		{"served", NewProtocol6Server("bench"), readable},
		{"framework", providerserver.NewProtocol6WithError(New("bench")()), readable},
		{"served-default", NewProtocol6Server("bench"), emulator.Behaviour{}},
	} {
		b.Run(server.name, func(b *testing.B) {
			srv.SetBehaviour(server.behaviour)
			p := newInProcessProvider(b, server.factory, srv, account)
			b.ReportAllocs()
			runtime.GC()
			peak := watchMemory()
			b.ResetTimer()
			var stateBytes int
			for range b.N {
				resp := p.readSubscriptions(b, config)
				stateBytes = len(resp.State.MsgPack)
			}
			b.StopTimer()
			b.ReportMetric(float64(stateBytes)/(1<<20), "state-MB")
			b.ReportMetric(float64(peak())/(1<<20), "peak-extra-MB")
			if stateBytes == 0 {
				b.Fatal(fmt.Errorf("the read returned no state"))
			}
		})
	}
}
