// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The list resource RPCs are not part of tfprotov6.ProviderServer, which server embeds, so the
// framework's own methods would stay hidden behind it and terraform query would be told "not
// implemented". server passes them on.

var _ tfprotov6.ListResourceServer = (*server)(nil)

func (s *server) listServer() tfprotov6.ListResourceServer {
	ls, _ := s.ProviderServer.(tfprotov6.ListResourceServer) // the framework's server implements it
	return ls
}

func (s *server) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return s.listServer().ValidateListResourceConfig(ctx, req)
}

func (s *server) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return s.listServer().ListResource(ctx, req)
}
