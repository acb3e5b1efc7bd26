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

	// The close import's undocumented readings (bulk_import.go). Their zero value is the most
	// hostile reading; each switch turns on the other one, and StrictBehaviour leaves them off.

	// ProcessingResults in today's sentences ("Success: membership closed", "Error: kind: why")
	// instead of the spec's snake_case rollup types (membership_closed, no_action_taken…).
	ImportResultsWords bool `json:"import_results_words"`
	// results_csv keeps the upload's row order instead of an order of its own.
	ImportResultsUploadOrder bool `json:"import_results_upload_order"`
	// A close CSV with a file-level error (syntax, missing columns, too many users) is refused
	// with 400 at upload instead of being accepted and ending failed with file_level_error_rollups.
	CloseImportChecksUpload bool `json:"close_import_checks_upload"`
	// Any number of imports may wait queued behind an organization's running one, instead of one.
	ImportQueueUnlimited bool `json:"import_queue_unlimited"`
	// A queued import waits as long as it takes instead of ending timed_out_queued.
	ImportQueueNeverTimesOut bool `json:"import_queue_never_times_out"`
	// An organization may store any number of imports instead of about 90.
	ImportJobsUncapped bool `json:"import_jobs_uncapped"`
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
