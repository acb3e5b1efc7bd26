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
	// eSignature GET …/users matches email and email_substring in the letter case DocuSign
	// stored, not without regard to it. The spec does not say how the filter compares.
	UsersEmailFilterExactCase bool `json:"users_email_filter_exact_case"`

	// Monitor and lastLogin (undocumented). The zero value of each is the most hostile plausible
	// reading; each switch turns on one alternative. They are not part of StrictBehaviour.

	// MonitorFullPages makes the stream honour limit (up to 2,000). By default a page holds at
	// most monitorShortPage events whatever limit asks, as one integration reports.
	MonitorFullPages bool `json:"monitor_full_pages"`
	// MonitorLoginSentActions spells logins and sends with the names integrations report, in
	// varying case and spacing ("Login", "UserLogin", "Envelope Sent", "sent"…). By default the
	// stream uses names nobody published ("SessionStarted", "Dispatched"), which no reader knows.
	MonitorLoginSentActions bool `json:"monitor_login_sent_actions"`
	// MonitorAllAdminOrgs streams the events of every organization the caller administers. By
	// default the stream covers only the organization that owns the integration key, as the
	// spec says.
	MonitorAllAdminOrgs bool `json:"monitor_all_admin_orgs"`
	// UsersListLastLogin puts lastLogin on the eSignature users list read with
	// additional_info=true. By default only the single-user read carries it, where it is documented.
	UsersListLastLogin bool `json:"users_list_last_login"`
	// LastLoginPerUser reports one lastLogin per person, the latest across their memberships
	// ("last logged in to the system"). By default each membership has its own.
	LastLoginPerUser bool `json:"last_login_per_user"`
	// Envelope search and rate limits. The default is the hostile reading: GET …/envelopes with
	// user_id returns the envelopes that user created and those they received (DocuSign's web
	// app pairs user_id with folder_types=inbox), unless folder_types narrows the search.
	//
	// EnvelopeSearchUserIDCreatorOnly turns on the documented reading: user_id returns only the
	// envelopes that user created ("the ID of the user who created the envelopes").
	EnvelopeSearchUserIDCreatorOnly bool `json:"envelope_search_user_id_creator_only"`
	// EnvelopeSearchRefusesClosedMembers refuses a user_id search for a member whose membership
	// in the account is closed (400 INVALID_USERID).
	EnvelopeSearchRefusesClosedMembers bool `json:"envelope_search_refuses_closed_members"`
	// RateLimitResetDeltaSeconds sends X-RateLimit-Reset as the seconds left until the hour
	// resets instead of the reset's epoch seconds. DocuSign calls it a timestamp without a unit.
	RateLimitResetDeltaSeconds bool `json:"rate_limit_reset_delta_seconds"`
	// The built-in permission profiles carry the names older accounts still show ("Account
	// Administrator", "DocuSign Sender", "DocuSign Viewer") instead of current accounts' "DS Admin",
	// "DS Sender" and "DS Viewer". Either naming is real; not in StrictBehaviour, which is about
	// strictness, not naming.
	LegacyProfileNames bool `json:"legacy_profile_names"`
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
	// results_csv names each user by APIUserName (their user ID) in place of the UserEmail column.
	ImportResultsAPIUserName bool `json:"import_results_api_user_name"`
	// Export and import statuses in PascalCase (InProcess, Completed, TimedOutQueued) instead of
	// the snake_case of DocuSign's SDK tests.
	JobStatesPascalCase bool `json:"job_states_pascal_case"`
	// Any number of imports may wait queued behind an organization's running one, instead of one.
	ImportQueueUnlimited bool `json:"import_queue_unlimited"`
	// A queued import waits as long as it takes instead of ending timed_out_queued.
	ImportQueueNeverTimesOut bool `json:"import_queue_never_times_out"`
	// An organization may store any number of imports instead of about 90.
	ImportJobsUncapped bool `json:"import_jobs_uncapped"`
	// An organization may store any number of user-list exports instead of about 90.
	ExportJobsUncapped bool `json:"export_jobs_uncapped"`
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
		BatchCloseAllOrNothing:    true,
		UsersListHidesClosed:      true,
		ProfileEmailRecentOnly:    true,
		UsersSelfOnly:             true,
		PlanItemsObject:           true,
		BulkCloseRefusesPending:   true,
		UsersEmailFilterExactCase: true,
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
