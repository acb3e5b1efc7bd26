// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// NewProtocol6Server serves the provider over plugin protocol 6: the framework's server, except
// that a data source may hand one large top-level list to a largeAttributeSink instead of its
// state, and the server writes that list, already encoded, into the response itself.
//
// Why: after a data source's Read the framework walks the whole new state several times, value by
// value: a deep copy and a deep comparison (semantic equality), a rebuild of every object with a
// schema lookup at each null (null blocks), and the encoding. For data.docusign_subscriptions
// with 100,000 members (1.3 million values) that was about 6 s of CPU, 4 GB of garbage and two
// or three copies of a 130 MB value tree alive at once, far over the targets of 10 s and 400 MB
// (BenchmarkSubscriptionsExport100k, go run ./tools/bench -only export). None of those walks can
// change a computed list the provider built itself: it holds no unknown values, no blocks, no
// semantic-equality types, and the framework sends it to terraform as it is.
func NewProtocol6Server(version string) func() (tfprotov6.ProviderServer, error) {
	return newProtocol6Server(New(version)())
}

// newProtocol6Server serves p as NewProtocol6Server does.
func newProtocol6Server(p provider.Provider) func() (tfprotov6.ProviderServer, error) {
	framework := providerserver.NewProtocol6WithError(p)
	return func() (tfprotov6.ProviderServer, error) {
		fw, err := framework()
		if err != nil {
			return nil, err
		}
		full, ok := fw.(frameworkServer)
		if !ok {
			return nil, fmt.Errorf("the framework's protocol 6 server (%T) lacks the list resource or action RPCs", fw)
		}
		return &server{frameworkServer: full}, nil
	}
}

// frameworkServer is what the framework's server serves: the protocol's required RPCs and the
// optional ones for list resources and actions. Terraform finds the optional ones by asking the
// server value for them, so a wrapper that embedded only tfprotov6.ProviderServer would hide them
// and terraform would answer "ValidateActionConfig Not Implemented".
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
}

// server is the framework's protocol 6 server with ReadDataSource extended; every other RPC is
// the framework's.
type server struct {
	frameworkServer
}

func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	sink := &largeAttributeSink{}
	resp, err := s.frameworkServer.ReadDataSource(context.WithValue(ctx, largeAttributeSinkKey{}, sink), req)
	if err != nil || resp == nil || resp.State == nil || sink.name == "" || hasErrorDiagnostic(resp.Diagnostics) {
		return resp, err
	}
	state, err := spliceAttribute(resp.State, sink.stateType, sink.name, sink.encoded)
	if err != nil {
		resp.Diagnostics = append(resp.Diagnostics, &tfprotov6.Diagnostic{
			Severity: tfprotov6.DiagnosticSeverityError,
			Summary:  "Unable to Convert State",
			Detail: fmt.Sprintf("Writing the %s attribute into the state failed: %s. This is always a bug in the provider; "+
				"please report it.", sink.name, err),
		})
		resp.State = nil
		return resp, nil
	}
	resp.State = state
	return resp, nil
}

type largeAttributeSinkKey struct{}

// largeAttributeSink takes one top-level list attribute of a data source's state, encoded in the
// plugin protocol's MessagePack. The data source leaves the attribute null in its state; the server
// writes the encoded value in its place once the framework is done.
type largeAttributeSink struct {
	name      string
	stateType tftypes.Object
	encoded   []byte
}

// largeAttributeSinkFrom returns the sink of this read, or nil when the provider is not served by
// NewProtocol6Server (then the data source sets the attribute in its state as usual).
func largeAttributeSinkFrom(ctx context.Context) *largeAttributeSink {
	sink, _ := ctx.Value(largeAttributeSinkKey{}).(*largeAttributeSink)
	return sink
}

// put hands the sink attribute name's value; stateType is the data source's state type.
func (s *largeAttributeSink) put(stateType tftypes.Object, name string, encoded []byte) {
	s.stateType, s.name, s.encoded = stateType, name, encoded
}

// spliceAttribute returns state with the null attribute name replaced by the encoded value. The
// other attributes are small; they are decoded and encoded again by terraform-plugin-go.
func spliceAttribute(state *tfprotov6.DynamicValue, stateType tftypes.Object, name string, encoded []byte) (*tfprotov6.DynamicValue, error) {
	if _, ok := stateType.AttributeTypes[name]; !ok {
		return nil, fmt.Errorf("the state has no attribute %q", name)
	}
	value, err := state.Unmarshal(stateType)
	if err != nil {
		return nil, err
	}
	attributes := map[string]tftypes.Value{}
	if err := value.As(&attributes); err != nil {
		return nil, err
	}
	if !attributes[name].IsNull() {
		return nil, fmt.Errorf("the data source set %q in its state too", name)
	}
	names := make([]string, 0, len(stateType.AttributeTypes))
	for n := range stateType.AttributeTypes {
		names = append(names, n)
	}
	sort.Strings(names) // the order terraform-plugin-go writes, so the result is the same bytes
	w := newMsgpackWriter(len(state.MsgPack) + len(encoded))
	w.mapLen(len(names))
	for _, n := range names {
		w.string(n)
		if n == name {
			w.raw(encoded)
			continue
		}
		part, err := tfprotov6.NewDynamicValue(stateType.AttributeTypes[n], attributes[n])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		w.raw(part.MsgPack)
	}
	return &tfprotov6.DynamicValue{MsgPack: w.bytes()}, nil
}

func hasErrorDiagnostic(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d != nil && d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}
