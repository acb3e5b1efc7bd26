// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// reopen_on_destroy means the same in every closed-user resource: same default, same words.
func TestReopenOnDestroyIsTheSameInEveryClosedUserResource(t *testing.T) {
	ctx := context.Background()
	var first rschema.BoolAttribute
	for i, r := range []resource.Resource{NewClosedUserResource(), NewOrganizationClosedUserResource(), NewClosedUsersResource()} {
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		attr, ok := resp.Schema.Attributes["reopen_on_destroy"].(rschema.BoolAttribute)
		if !ok {
			t.Fatalf("resource %d has no bool reopen_on_destroy", i)
		}
		if attr.Default == nil {
			t.Errorf("resource %d: reopen_on_destroy has no default", i)
		}
		if i == 0 {
			first = attr
			continue
		}
		if attr.MarkdownDescription != first.MarkdownDescription || attr.Optional != first.Optional || attr.Computed != first.Computed {
			t.Errorf("resource %d: reopen_on_destroy differs from docusign_closed_user's:\n%q\n%q", i, attr.MarkdownDescription, first.MarkdownDescription)
		}
	}
}

// Timestamps of creation have one name across the provider, and every membership status
// attribute names the same values in the same letter case.
func TestTimestampAndStatusNamesAreConsistent(t *testing.T) {
	ctx := context.Background()
	p := &docusignProvider{}
	var descriptions []string
	walkResource := func(name string, attrs map[string]rschema.Attribute) {
		for n, a := range attrs {
			if n == "created_on" {
				t.Errorf("%s has created_on; the provider names creation timestamps created_at", name)
			}
			if strings.Contains(n, "status") {
				descriptions = append(descriptions, name+"."+n+": "+a.GetMarkdownDescription())
			}
		}
	}
	var walkData func(name string, attrs map[string]dschema.Attribute)
	walkData = func(name string, attrs map[string]dschema.Attribute) {
		for n, a := range attrs {
			if n == "created_on" {
				t.Errorf("%s has created_on; the provider names creation timestamps created_at", name)
			}
			if strings.Contains(n, "status") {
				descriptions = append(descriptions, name+"."+n+": "+a.GetMarkdownDescription())
			}
			if nested, ok := a.(dschema.ListNestedAttribute); ok {
				walkData(name+"."+n, nested.NestedObject.Attributes)
			}
		}
	}
	for _, f := range p.Resources(ctx) {
		r := f()
		var md resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "docusign"}, &md)
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		walkResource(md.TypeName, resp.Schema.Attributes)
	}
	for _, f := range p.DataSources(ctx) {
		d := f()
		var md datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "docusign"}, &md)
		var resp datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &resp)
		walkData("data."+md.TypeName, resp.Schema.Attributes)
	}
	for _, d := range descriptions {
		for _, snake := range []string{"`active`", "`closed`", "`activation_sent`", "`activation_required`", "`disabled`"} {
			if strings.Contains(d, snake) {
				t.Errorf("%s\n  names the Admin API's spelling %s; membership statuses use the eSignature spelling (`Active`, `ActivationSent`, ...)", d, snake)
			}
		}
	}
}
