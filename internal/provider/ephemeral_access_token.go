// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
)

var (
	_ ephemeral.EphemeralResource              = (*accessTokenEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*accessTokenEphemeralResource)(nil)
)

// NewAccessTokenEphemeralResource is the ephemeral.docusign_access_token factory.
func NewAccessTokenEphemeralResource() ephemeral.EphemeralResource {
	return &accessTokenEphemeralResource{}
}

type accessTokenEphemeralResource struct {
	data *providerData
}

type accessTokenModel struct {
	Scopes      types.String `tfsdk:"scopes"`
	AccountID   types.String `tfsdk:"account_id"`
	AccessToken types.String `tfsdk:"access_token"`
	TokenType   types.String `tfsdk:"token_type"`
	ExpiresAt   types.String `tfsdk:"expires_at"`
	BaseURI     types.String `tfsdk:"base_uri"`
}

func (e *accessTokenEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_token"
}

func (e *accessTokenEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A DocuSign access token for the provider's connection, obtained with the JWT grant, for other " +
			"providers such as `http` to call DocuSign APIs this provider does not cover. Being ephemeral, it never enters " +
			"plan or state. Requires Terraform 1.10 or later.",
		Attributes: map[string]schema.Attribute{
			"scopes": schema.StringAttribute{
				MarkdownDescription: "Space-separated scopes for this token, such as `signature impersonation`; it must include both " +
					"`signature` and `impersonation`, without which DocuSign refuses the JWT grant. Defaults to the provider's " +
					"`scopes`. Other scopes cost one more JWT grant and need consent.",
				Optional:   true,
				Validators: scopesValid(),
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account ID GUID whose `base_uri` to return. Defaults to the provider's account.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{isGUID()},
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "The bearer token, for an `Authorization: Bearer …` header.",
				Computed:            true,
				Sensitive:           true,
			},
			"token_type": schema.StringAttribute{MarkdownDescription: "Always `Bearer`.", Computed: true},
			"expires_at": schema.StringAttribute{MarkdownDescription: "When the token expires, RFC 3339 UTC.", Computed: true},
			"base_uri": schema.StringAttribute{
				MarkdownDescription: "eSignature base URI of the account, such as `https://demo.docusign.net`; append `/restapi/v2.1/accounts/<account_id>`.",
				Computed:            true,
			},
		},
	}
}

func (e *accessTokenEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (e *accessTokenEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m accessTokenModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !configured(e.data, &resp.Diagnostics, "Unable to Get Access Token") {
		return
	}
	client := e.data.client
	if scopes := strings.Fields(m.Scopes.ValueString()); len(scopes) > 0 {
		conn := e.data.connection
		conn.Scopes = scopes
		var err error
		client, err = docusign.New(conn)
		if err != nil {
			resp.Diagnostics.AddAttributeError(pathScopes, "Unable to Get Access Token", err.Error())
			return
		}
	}
	token, err := client.Tokens.Token(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Unable to Get Access Token", explain(err))
		return
	}
	accountID, err := client.AccountID(ctx, m.AccountID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Unable to Get Access Token", explain(err))
		return
	}
	baseURI, err := client.BaseURI(ctx, accountID)
	if err != nil {
		resp.Diagnostics.AddAttributeError(pathAccountID, "Unable to Get Access Token", explain(err))
		return
	}
	m.AccessToken = types.StringValue(token.AccessToken)
	m.TokenType = types.StringValue(token.TokenType)
	m.ExpiresAt = types.StringValue(token.ExpiresAt.UTC().Format(time.RFC3339))
	m.AccountID = types.StringValue(accountID)
	m.BaseURI = types.StringValue(baseURI)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
