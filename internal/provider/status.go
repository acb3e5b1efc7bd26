// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"
	"unicode"
)

// Membership statuses reach the provider in two spellings of one set of values: eSignature says
// `ActivationSent`, the Admin API says `activation_sent`. Every attribute reports the eSignature
// spelling, the one `docusign_user` and DocuSign's own eSignature Admin screens use.
const membershipStatusValues = "one of `ActivationRequired`, `ActivationSent`, `Active`, `Closed` or `Disabled`"

const membershipStatusDescription = "Membership status, " + membershipStatusValues + ": DocuSign's values in the eSignature " +
	"API's letter case, whichever API reported them (the Admin API's snake_case activation_sent reads `ActivationSent`)."

// membershipStatus spells a status from either API the eSignature way: activation_sent becomes
// ActivationSent, and ActivationSent stays.
func membershipStatus(s string) string {
	switch s { // the common values, without building a string per subscription
	case "active", "Active":
		return "Active"
	case "closed", "Closed":
		return "Closed"
	}
	var b strings.Builder
	upper := true
	for _, r := range s {
		if r == '_' {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
