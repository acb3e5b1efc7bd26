// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import "time"

// Behaviour switches each turn on the stricter reading of one DocuSign behaviour that its
// documentation leaves uncertain. The zero value is the lenient reading; the provider must work
// under both, so tests run with every switch off and with every switch on.
type Behaviour struct {
	// DELETE …/users answers 400 and closes nobody when any listed user is unknown or invalid
	// (the spec says the call "succeeded (200 - OK) or failed (400 - Error)").
	BatchCloseAllOrNothing bool `json:"batch_close_all_or_nothing"`
	// GET …/users without a status filter leaves out Closed users.
	UsersListHidesClosed bool `json:"users_list_hides_closed"`
	// GET /v2/organizations/{org}/users/profile?email= returns at most 20 users modified in the
	// last 10 days, as the description of that route says.
	ProfileEmailRecentOnly bool `json:"profile_email_recent_only"`
	// eSignature GET and PUT …/users/{userId} refuse any user but the caller, as the newer spec's
	// text says ("a user, even one with Admin rights, cannot access another user's settings").
	UsersSelfOnly bool `json:"users_self_only"`
	// GET …/planItems answers one object instead of an array, as the docs page draws it.
	PlanItemsObject bool `json:"plan_items_object"`
	// A bulk close import fails the row of a user still awaiting activation
	// (user_awaiting_activation, one of the spec's error types) instead of closing them.
	BulkCloseRefusesPending bool `json:"bulk_close_refuses_pending"`

	// The user-list export's undocumented readings. The zero value is the most hostile one (a
	// download wants the bearer token; DocuSign's column names only; no closed memberships); each
	// switch turns on one alternative, and none is in StrictBehaviour.

	// ExportDownloadWithoutToken serves result files to their pre-signed URL alone.
	ExportDownloadWithoutToken bool `json:"export_download_without_token"`
	// ExportEmulatorColumns writes the emulator's own export columns (UserID, MembershipStatus,
	// PlanName, SubscriptionID, dates) instead of DocuSign's names alone.
	ExportEmulatorColumns bool `json:"export_emulator_columns"`
	// ExportIncludesClosed puts closed memberships in exports.
	ExportIncludesClosed bool `json:"export_includes_closed"`
}

// StrictBehaviour is every switch on.
func StrictBehaviour() Behaviour {
	return Behaviour{
		BatchCloseAllOrNothing:  true,
		UsersListHidesClosed:    true,
		ProfileEmailRecentOnly:  true,
		UsersSelfOnly:           true,
		PlanItemsObject:         true,
		BulkCloseRefusesPending: true,
	}
}

// profileEmailWindow and profileEmailLimit are the limits of the recent-only profile lookup.
const (
	profileEmailWindow = 10 * 24 * time.Hour
	profileEmailLimit  = 20
)

// SetBehaviour replaces the behaviour switches.
func (e *Emulator) SetBehaviour(b Behaviour) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.behaviour = b
}

// Behaviour returns the behaviour switches in force.
func (e *Emulator) Behaviour() Behaviour {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.behaviour
}

// touch records that a user changed, for the recent-only profile lookup.
func (e *Emulator) touch(u *user) {
	u.modified = e.opts.Now().UTC()
}
