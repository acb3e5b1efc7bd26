// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Package provider maps Terraform configuration onto the DocuSign client: one file per Terraform
// type, named for it.
package provider

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/auth"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/keys"
)

var (
	_ provider.Provider                       = (*docusignProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*docusignProvider)(nil)
)

// New returns the provider factory for providerserver.Serve.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &docusignProvider{version: version} }
}

type docusignProvider struct {
	version string
	// now is the provider's clock; nil means the system clock. Tests fix it to make dates exact.
	now clock
	// tuneClient, when set, adjusts the client configuration before the client is built. Only
	// tests set it, to make close batching independent of the machine's speed.
	tuneClient func(*docusign.Config)
}

type providerModel struct {
	Environment         types.String `tfsdk:"environment"`
	OAuthBaseURL        types.String `tfsdk:"oauth_base_url"`
	AdminBaseURL        types.String `tfsdk:"admin_base_url"`
	MonitorBaseURL      types.String `tfsdk:"monitor_base_url"`
	IntegrationKey      types.String `tfsdk:"integration_key"`
	UserID              types.String `tfsdk:"user_id"`
	KeyPairID           types.String `tfsdk:"key_pair_id"`
	PrivateKey          types.String `tfsdk:"private_key"`
	PrivateKeyFile      types.String `tfsdk:"private_key_file"`
	KeystoreFile        types.String `tfsdk:"keystore_file"`
	KeystorePassword    types.String `tfsdk:"keystore_password"`
	KeystoreKeyPassword types.String `tfsdk:"keystore_key_password"`
	KeystoreAlias       types.String `tfsdk:"keystore_alias"`
	AccountID           types.String `tfsdk:"account_id"`
	Scopes              types.String `tfsdk:"scopes"`
	MaxRetries          types.Int64  `tfsdk:"max_retries"`
	AllowUntrustedHosts types.Bool   `tfsdk:"allow_untrusted_hosts"`
}

func (p *docusignProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "docusign"
	resp.Version = p.version
}

func (p *docusignProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	keySources := []path.Expression{
		path.MatchRoot("private_key"), path.MatchRoot("private_key_file"), path.MatchRoot("keystore_file"),
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The DocuSign provider connects to DocuSign with the OAuth JWT grant: an integration key, " +
			"an impersonated user and an RSA private key from PEM text, a PEM file, or a PKCS#12 or Java KeyStore file. " +
			"Every attribute can also come from a `DOCUSIGN_*` environment variable named after it " +
			"(for example `DOCUSIGN_INTEGRATION_KEY`); a value in the configuration wins.",
		Attributes: map[string]schema.Attribute{
			"environment": schema.StringAttribute{
				MarkdownDescription: "DocuSign environment: `demo` (developer accounts, `account-d.docusign.com`) or `production` " +
					"(`account.docusign.com`). Defaults to `production`. Env: `DOCUSIGN_ENVIRONMENT`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf("demo", "production")},
			},
			"oauth_base_url": schema.StringAttribute{
				MarkdownDescription: "Override of the OAuth host, an http(s) URL such as `https://account-d.docusign.com`. " +
					"Set only for a proxy or the emulator. Env: `DOCUSIGN_OAUTH_BASE_URL`.",
				Optional:   true,
				Validators: []validator.String{isHTTPURL()},
			},
			"admin_base_url": schema.StringAttribute{
				MarkdownDescription: "Override of the Admin API root, an http(s) URL ending in `/Management` such as " +
					"`https://api-d.docusign.net/Management`. Env: `DOCUSIGN_ADMIN_BASE_URL`.",
				Optional:   true,
				Validators: []validator.String{isHTTPURL()},
			},
			"monitor_base_url": schema.StringAttribute{
				MarkdownDescription: "Override of the DocuSign Monitor host, an http(s) URL the stream path " +
					"`/api/v2.0/datasets/monitor/stream` is appended to. Defaults to `https://lens.docusign.net` in production and " +
					"`https://lens-d.docusign.net` in demo. Used only by `data.docusign_subscriptions` with `activity_source = \"monitor\"`. " +
					"In production it must be https on a DocuSign host, like the other base URLs, unless `allow_untrusted_hosts` is set. " +
					"Env: `DOCUSIGN_MONITOR_BASE_URL`.",
				Optional:   true,
				Validators: []validator.String{isHTTPURL()},
			},
			"integration_key": schema.StringAttribute{
				MarkdownDescription: "Integration key (client ID) GUID of the app, from Apps and Keys in DocuSign eSignature Admin. " +
					"Required. Env: `DOCUSIGN_INTEGRATION_KEY`.",
				Optional:   true,
				Validators: []validator.String{isGUID()},
			},
			"user_id": schema.StringAttribute{
				MarkdownDescription: "API user ID GUID of the user to impersonate (not an email). For organization-level resources " +
					"the user must be an organization administrator. Required. Env: `DOCUSIGN_USER_ID`.",
				Optional:   true,
				Validators: []validator.String{isGUID()},
			},
			"key_pair_id": schema.StringAttribute{
				MarkdownDescription: "ID GUID of the RSA key pair on the integration key, sent as the JWT `kid` header. Optional. " +
					"Env: `DOCUSIGN_KEY_PAIR_ID`.",
				Optional:   true,
				Validators: []validator.String{isGUID()},
			},
			"private_key": schema.StringAttribute{
				MarkdownDescription: "RSA private key as PEM text (PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`, at least 2048 bits). " +
					"Exactly one of `private_key`, `private_key_file` or `keystore_file` is required. Env: `DOCUSIGN_PRIVATE_KEY`.",
				Optional:  true,
				Sensitive: true,
				// No ConflictsWith here: the other two sources report the conflict, and an error on
				// this attribute would make terraform print the configuration lines holding the key.
			},
			"private_key_file": schema.StringAttribute{
				MarkdownDescription: "Path to a PEM file holding the RSA private key (PKCS#1 or PKCS#8). Env: `DOCUSIGN_PRIVATE_KEY_FILE`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.ConflictsWith(keySources...)},
			},
			"keystore_file": schema.StringAttribute{
				MarkdownDescription: "Path to a PKCS#12 (`.p12`/`.pfx`) or Java KeyStore (`.jks`) file holding the RSA key; the " +
					"format is detected from the content. Env: `DOCUSIGN_KEYSTORE_FILE`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.ConflictsWith(keySources...)},
			},
			"keystore_password": schema.StringAttribute{
				MarkdownDescription: "Password of `keystore_file` (the PKCS#12 password or the JKS store password). " +
					"Env: `DOCUSIGN_KEYSTORE_PASSWORD`.",
				Optional:  true,
				Sensitive: true,
			},
			"keystore_key_password": schema.StringAttribute{
				MarkdownDescription: "JKS key password, when it differs from `keystore_password`. Env: `DOCUSIGN_KEYSTORE_KEY_PASSWORD`.",
				Optional:            true,
				Sensitive:           true,
			},
			"keystore_alias": schema.StringAttribute{
				MarkdownDescription: "Alias of the key entry in `keystore_file`. Optional when the keystore holds one private key. " +
					"Env: `DOCUSIGN_KEYSTORE_ALIAS`.",
				Optional: true,
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Default account ID GUID for account-level resources; defaults to the impersonated user's " +
					"default account. Env: `DOCUSIGN_ACCOUNT_ID`.",
				Optional:   true,
				Validators: []validator.String{isGUID()},
			},
			"scopes": schema.StringAttribute{
				MarkdownDescription: "Space-separated OAuth scopes to request, such as `" + strings.Join(auth.BaseScopes, " ") + " user_read`. " +
					"Unset (the default), the provider asks for `" + strings.Join(auth.BaseScopes, " ") + "` and adds each Admin API scope " +
					"(`organization_read`, `organization_sub_account_read`, `user_read`, `user_write`) the first time a call needs it, " +
					"because DocuSign refuses a grant that asks for any scope without consent. Set it to pin the exact scopes of every grant; " +
					"`signature` and `impersonation` are always needed. See \"Scopes and consent\" for the scopes each feature needs. " +
					"Env: `DOCUSIGN_SCOPES`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.RegexMatches(scopesPattern, "must be space-separated scope names such as \"signature impersonation\"")},
			},
			"allow_untrusted_hosts": schema.BoolAttribute{
				MarkdownDescription: "With `environment = \"production\"` the provider sends keys and tokens only over `https` to DocuSign's " +
					"own hosts (`*.docusign.com`, `*.docusign.net`): it refuses an `http://` or foreign `oauth_base_url` or `admin_base_url`, " +
					"and a userinfo `base_uri` outside those domains. `true` lifts that rule, for a proxy or the test emulator only. " +
					"Defaults to `false`; `demo` never applies the rule. Env: `DOCUSIGN_ALLOW_UNTRUSTED_HOSTS` (`true` or `false`).",
				Optional: true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How many times one API call is retried after rate limits, 5xx answers and network failures, " +
					"0–20. Defaults to 8. Env: `DOCUSIGN_MAX_RETRIES`.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
		},
	}
}

// providerData is what Configure hands to every resource and data source.
type providerData struct {
	client       *docusign.Client
	oauthBaseURL string
	adminBaseURL string
	connection   docusign.Config // for ephemeral tokens with other scopes; holds the key, never logged
}

// settings holds each attribute after the environment fallback.
type settings struct {
	values map[string]string
}

func (s settings) get(name string) string { return s.values[name] }

func (p *docusignProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	s, ok := resolveSettings(cfg, resp)
	if !ok {
		return
	}

	key, ok := loadKey(s, resp)
	if !ok {
		return
	}

	env := docusign.Environment(s.get("environment"))
	oauthBase := s.get("oauth_base_url")
	if oauthBase == "" {
		oauthBase = docusign.OAuthBaseURL(env)
	}
	adminBase := s.get("admin_base_url")
	if adminBase == "" {
		adminBase = docusign.AdminBaseURL(env)
	}
	monitorBase := s.get("monitor_base_url")
	if monitorBase == "" {
		monitorBase = docusign.MonitorBaseURL(env)
	}
	allowUntrusted, ok := untrustedHostsAllowed(s, resp)
	if !ok {
		return
	}
	docuSignHostsOnly := env != docusign.Demo && !allowUntrusted
	if docuSignHostsOnly {
		for _, u := range []struct{ attr, value string }{
			{"oauth_base_url", oauthBase}, {"admin_base_url", adminBase}, {"monitor_base_url", monitorBase},
		} {
			var untrusted *docusign.UntrustedHostError
			if errors.As(docusign.TrustedURL(u.value), &untrusted) {
				resp.Diagnostics.AddAttributeError(path.Root(u.attr), "Untrusted DocuSign "+attributeLabels[u.attr],
					fmt.Sprintf("In production the provider sends keys and tokens only over https to DocuSign's own hosts, and %s (or %s) is %s. "+
						"Use DocuSign's https URL, or set allow_untrusted_hosts = true (DOCUSIGN_ALLOW_UNTRUSTED_HOSTS=true) for a proxy or the emulator.",
						u.attr, envName(u.attr), untrusted.Where()))
			}
		}
		if resp.Diagnostics.HasError() {
			return
		}
	}
	var maxRetries *int // nil: the client's default
	if v := s.get("max_retries"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 20 {
			resp.Diagnostics.AddAttributeError(path.Root("max_retries"), "Invalid DocuSign Max Retries",
				"DOCUSIGN_MAX_RETRIES must be a whole number from 0 to 20, got "+strconv.Quote(v)+".")
			return
		}
		maxRetries = docusign.Retries(n)
	}

	conn := docusign.Config{
		OAuthBaseURL:   oauthBase,
		AdminBaseURL:   adminBase,
		MonitorBaseURL: monitorBase,
		IntegrationKey: s.get("integration_key"),
		UserID:         s.get("user_id"),
		KeyPairID:      s.get("key_pair_id"),
		Key:            key,
		AccountID:      s.get("account_id"),
		Scopes:         strings.Fields(s.get("scopes")),
		MaxRetries:     maxRetries,
		UserAgent:      "terraform-provider-docusign/" + p.version,
		// DocuSign's own hosts only, in production: a base_uri elsewhere never gets a token.
		DocuSignHostsOnly: docuSignHostsOnly,
		// Calls log on the request's own context: a subsystem would have to be created on every
		// context Terraform hands the provider, and the fields already say which API answered.
		Logger: func(ctx context.Context, msg string, fields map[string]any) {
			tflog.Debug(ctx, msg, fields)
		},
	}
	if connectionTuning != nil {
		connectionTuning(&conn)
	}
	if p.tuneClient != nil {
		p.tuneClient(&conn)
	}
	client, err := docusign.New(conn)
	if err != nil {
		resp.Diagnostics.AddError("Unable to Create DocuSign API Client", err.Error())
		return
	}
	tflog.Debug(ctx, "configured DocuSign provider", map[string]any{
		"oauth_base_url": oauthBase, "admin_base_url": adminBase, "integration_key": conn.IntegrationKey,
	})
	data := &providerData{client: client, oauthBaseURL: oauthBase, adminBaseURL: adminBase, connection: conn}
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.EphemeralResourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
}

// connectionTuning, set by tests only, adjusts the connection before the client is built: the
// scaled-down partition test shortens the transport's timeouts.
var connectionTuning func(*docusign.Config)

// attributeLabels names each attribute in diagnostics as the framework scaffolding does.
var attributeLabels = map[string]string{
	"environment":           "Environment",
	"oauth_base_url":        "OAuth Base URL",
	"admin_base_url":        "Admin Base URL",
	"monitor_base_url":      "Monitor Base URL",
	"integration_key":       "Integration Key",
	"user_id":               "User ID",
	"key_pair_id":           "Key Pair ID",
	"private_key":           "Private Key",
	"private_key_file":      "Private Key File",
	"keystore_file":         "Keystore File",
	"keystore_password":     "Keystore Password",
	"keystore_key_password": "Keystore Key Password",
	"keystore_alias":        "Keystore Alias",
	"account_id":            "Account ID",
	"scopes":                "Scopes",
	"max_retries":           "Max Retries",
	"allow_untrusted_hosts": "Allow Untrusted Hosts",
}

func envName(attr string) string { return "DOCUSIGN_" + strings.ToUpper(attr) }

// resolveSettings applies the environment fallback and reports unknown and missing values with
// the framework scaffolding's wording.
func resolveSettings(cfg providerModel, resp *provider.ConfigureResponse) (settings, bool) {
	strs := map[string]types.String{
		"environment": cfg.Environment, "oauth_base_url": cfg.OAuthBaseURL, "admin_base_url": cfg.AdminBaseURL,
		"monitor_base_url": cfg.MonitorBaseURL,
		"integration_key":  cfg.IntegrationKey, "user_id": cfg.UserID, "key_pair_id": cfg.KeyPairID,
		"private_key": cfg.PrivateKey, "private_key_file": cfg.PrivateKeyFile, "keystore_file": cfg.KeystoreFile,
		"keystore_password": cfg.KeystorePassword, "keystore_key_password": cfg.KeystoreKeyPassword,
		"keystore_alias": cfg.KeystoreAlias, "account_id": cfg.AccountID, "scopes": cfg.Scopes,
	}
	s := settings{values: map[string]string{}}
	for name, v := range strs {
		if v.IsUnknown() {
			addUnknown(resp, name)
			continue
		}
		s.values[name] = v.ValueString()
		if v.IsNull() {
			s.values[name] = os.Getenv(envName(name))
		}
	}
	switch {
	case cfg.MaxRetries.IsUnknown():
		addUnknown(resp, "max_retries")
	case !cfg.MaxRetries.IsNull():
		s.values["max_retries"] = strconv.FormatInt(cfg.MaxRetries.ValueInt64(), 10)
	default:
		s.values["max_retries"] = os.Getenv(envName("max_retries"))
	}
	switch {
	case cfg.AllowUntrustedHosts.IsUnknown():
		addUnknown(resp, "allow_untrusted_hosts")
	case !cfg.AllowUntrustedHosts.IsNull():
		s.values["allow_untrusted_hosts"] = strconv.FormatBool(cfg.AllowUntrustedHosts.ValueBool())
	default:
		s.values["allow_untrusted_hosts"] = os.Getenv(envName("allow_untrusted_hosts"))
	}
	if resp.Diagnostics.HasError() {
		return s, false
	}

	for _, name := range []string{"integration_key", "user_id"} {
		if s.get(name) == "" {
			label := attributeLabels[name]
			resp.Diagnostics.AddAttributeError(path.Root(name), "Missing DocuSign "+label,
				fmt.Sprintf("The provider cannot create the DocuSign API client as there is a missing or empty value for the DocuSign %s. "+
					"Set the %s value in the configuration or use the %s environment variable. "+
					"If either is already set, ensure the value is not empty.", strings.ToLower(label), name, envName(name)))
		}
	}
	// Values from the environment skip the schema validators, so check them here.
	for _, name := range []string{"integration_key", "user_id", "key_pair_id", "account_id"} {
		if v := s.get(name); v != "" && !guidPattern.MatchString(v) {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Invalid DocuSign "+attributeLabels[name],
				fmt.Sprintf("%s (or %s) must be a DocuSign GUID such as 3a9e5c71-2b4d-4f8e-9a6c-1d2e3f4a5b6c, got %q.", name, envName(name), v))
		}
	}
	if v := s.get("environment"); v != "" && v != "demo" && v != "production" {
		resp.Diagnostics.AddAttributeError(path.Root("environment"), "Invalid DocuSign Environment",
			fmt.Sprintf("environment (or DOCUSIGN_ENVIRONMENT) must be \"demo\" or \"production\", got %q.", v))
	}

	var sources []string
	for _, name := range []string{"private_key", "private_key_file", "keystore_file"} {
		if s.get(name) != "" {
			sources = append(sources, name)
		}
	}
	switch len(sources) {
	case 0:
		resp.Diagnostics.AddAttributeError(path.Root("private_key_file"), "Missing DocuSign Private Key",
			"The provider cannot create the DocuSign API client as no RSA private key is configured. Set exactly one of "+
				"private_key, private_key_file or keystore_file in the configuration, or use the DOCUSIGN_PRIVATE_KEY, "+
				"DOCUSIGN_PRIVATE_KEY_FILE or DOCUSIGN_KEYSTORE_FILE environment variable.")
	case 1:
	default:
		resp.Diagnostics.AddAttributeError(path.Root(sources[1]), "Conflicting DocuSign Private Key Sources",
			fmt.Sprintf("Only one of private_key, private_key_file or keystore_file may be set (in the configuration or the environment), "+
				"but %s are set. Remove all but one.", strings.Join(sources, " and ")))
	}
	return s, !resp.Diagnostics.HasError()
}

// untrustedHostsAllowed reads allow_untrusted_hosts, which may come from the environment as text.
func untrustedHostsAllowed(s settings, resp *provider.ConfigureResponse) (allowed, ok bool) {
	v := strings.TrimSpace(s.get("allow_untrusted_hosts"))
	if v == "" {
		return false, true
	}
	allowed, err := strconv.ParseBool(v)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("allow_untrusted_hosts"), "Invalid DocuSign Allow Untrusted Hosts",
			"DOCUSIGN_ALLOW_UNTRUSTED_HOSTS must be true or false, got "+strconv.Quote(docusign.CleanText(v, 64))+".")
		return false, false
	}
	return allowed, true
}

func addUnknown(resp *provider.ConfigureResponse, name string) {
	label := attributeLabels[name]
	resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown DocuSign "+label,
		fmt.Sprintf("The provider cannot create the DocuSign API client as there is an unknown configuration value for the DocuSign %s. "+
			"Either target apply the source of the value first, set the value statically in the configuration, or use the %s environment variable.",
			strings.ToLower(label), envName(name)))
}

// loadKey reads the RSA key from whichever source is set and turns each failure into a
// diagnostic on the attribute to fix.
func loadKey(s settings, resp *provider.ConfigureResponse) (key *rsa.PrivateKey, ok bool) {
	opts := keys.Options{Password: s.get("keystore_password"), KeyPassword: s.get("keystore_key_password"), Alias: s.get("keystore_alias"),
		Labels: keyLabels}
	var (
		err  error
		attr string
	)
	switch {
	case s.get("private_key") != "":
		attr = "private_key"
		key, err = keys.Load([]byte(s.get("private_key")), keys.Options{Labels: keyLabels})
	case s.get("private_key_file") != "":
		attr = "private_key_file"
		key, err = keys.LoadFile(s.get("private_key_file"), keys.Options{Labels: keyLabels})
	default:
		attr = "keystore_file"
		key, err = keys.LoadFile(s.get("keystore_file"), opts)
	}
	if err == nil {
		return key, true
	}
	var keyErr *keys.Error
	if errors.As(err, &keyErr) && errors.Is(err, keys.ErrKeyMaterialInPath) {
		// No attribute path: for an attribute, terraform prints the configuration lines that set
		// it, and here those lines would be the key.
		resp.Diagnostics.AddError("Invalid DocuSign "+attributeLabels[attr], keyMaterialDetail(attr, len(s.get(attr)), keyErr))
		return nil, false
	}
	summary, fix := keyDiagnostic(err, attr)
	if secretSettings[fix] {
		detail := fmt.Sprintf("%s. Fix %s (or the %s environment variable); its value is not shown.", err, fix, envName(fix))
		if attr == "private_key" && looksLikePath(s.get(attr)) {
			detail += " It looks like a file path: put a PEM file's path in private_key_file, or a .p12/.jks file's path in keystore_file."
		}
		resp.Diagnostics.AddError(summary, detail)
		return nil, false
	}
	resp.Diagnostics.AddAttributeError(path.Root(fix), summary, err.Error())
	return nil, false
}

// keyLabels name the key settings in the key loader's details by their attributes.
var keyLabels = keys.Labels{Password: "keystore_password", KeyPassword: "keystore_key_password", Alias: "keystore_alias", PEMFile: "private_key_file"}

// looksLikePath reports a private_key value that is a file name rather than PEM text.
func looksLikePath(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 4096 || keys.PathMaterial(v) != "" || strings.ContainsAny(v, " \t") && !strings.ContainsAny(v, "/\\") {
		return false
	}
	lower := strings.ToLower(v)
	for _, ext := range []string{".pem", ".key", ".p12", ".pfx", ".jks", ".keystore"} {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return strings.ContainsAny(v, "/\\")
}

// secretSettings get diagnostics without an attribute path: for an attribute, terraform prints
// the configuration lines that set it, which for these are the key or the password itself.
var secretSettings = map[string]bool{"private_key": true, "keystore_password": true, "keystore_key_password": true}

// keyMaterialDetail explains a key, or something else that is no path, found in a file setting,
// and where it belongs instead, without repeating any of it.
func keyMaterialDetail(attr string, size int, e *keys.Error) string {
	what := map[string]string{
		keys.MaterialPEM:       "PEM key text",
		keys.MaterialBase64PEM: "base64-encoded PEM text",
		keys.MaterialBase64DER: "base64-encoded key data, such as a .p12 keystore",
		keys.MaterialText:      "several lines of text, like a key",
		keys.MaterialBinary:    "binary data, like the bytes of a key file",
		keys.MaterialTooLong:   "longer than any file path can be",
	}[e.Material]
	const pemHome = "Put PEM text in private_key (or the DOCUSIGN_PRIVATE_KEY environment variable) instead"
	var fix string
	switch e.Material {
	case keys.MaterialPEM, keys.MaterialText:
		fix = pemHome + ", or set " + attr + " to the path of the key file."
	case keys.MaterialBase64PEM:
		fix = pemHome + " after decoding it from base64, or set " + attr + " to the path of the key file."
	case keys.MaterialBase64DER:
		fix = "A keystore cannot be given inline: decode it into a file (for example `base64 -d > docusign.p12`) and set " +
			"keystore_file (or DOCUSIGN_KEYSTORE_FILE) to that file's path, with keystore_password."
	default:
		fix = "Write the key to a file and set " + attr + " to that file's path."
	}
	return fmt.Sprintf("%s (or the %s environment variable) must be the path of a key file, but its value (%d bytes) is %s. "+
		"The value is not shown. %s", attr, envName(attr), size, what, fix)
}

// keyDiagnostic picks the summary and the attribute that needs fixing for a key-loading error.
func keyDiagnostic(err error, source string) (summary, attr string) {
	switch {
	case errors.Is(err, keys.ErrWrongPassword):
		return "Wrong DocuSign Keystore Password", "keystore_password"
	case errors.Is(err, keys.ErrWrongKeyPassword):
		return "Wrong DocuSign Keystore Key Password", "keystore_key_password"
	case errors.Is(err, keys.ErrAliasNotFound):
		return "DocuSign Keystore Alias Not Found", "keystore_alias"
	case errors.Is(err, keys.ErrAmbiguousAlias):
		return "DocuSign Keystore Alias Required", "keystore_alias"
	case errors.Is(err, keys.ErrNoPrivateKey):
		return "No Private Key in DocuSign Key Source", source
	case errors.Is(err, keys.ErrNotRSA):
		return "DocuSign Key Is Not RSA", source
	case errors.Is(err, keys.ErrKeyTooShort):
		return "DocuSign RSA Key Too Short", source
	case errors.Is(err, keys.ErrFileNotFound):
		return "DocuSign Key File Not Found", source
	case errors.Is(err, keys.ErrEncryptedPEM):
		return "Encrypted PEM Private Key", source
	}
	return "Unreadable DocuSign Private Key", source
}

func (p *docusignProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewClosedUserResource,
		NewOrganizationClosedUserResource,
		NewClosedUsersResource,
		NewUserResource,
		func() resource.Resource { return &integrationProfileResource{now: p.clock()} },
		NewSubscriptionIdentifierExclusionRuleResource,
		NewSubscriptionUserExclusionRuleResource,
	}
}

func (p *docusignProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewUserDataSource,
		func() datasource.DataSource { return &subscriptionsDataSource{now: p.clock()} },
		func() datasource.DataSource { return &consumptionDataSource{now: p.clock()} },
	}
}

func (p *docusignProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		NewAccessTokenEphemeralResource,
	}
}
