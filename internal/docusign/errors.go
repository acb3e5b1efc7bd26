package docusign

import (
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// The client's typed errors. Callers match them with errors.Is and errors.As and never read an
// error's text; the text is for people.

// RateLimitError is a call given up on because DocuSign kept refusing it for the account's API
// limits; it carries the limit and when it resets.
type RateLimitError = transport.RateLimitError

// Why a RateLimitError gave up.
const (
	RateLimitRetriesSpent = transport.RetriesSpent
	RateLimitResetTooFar  = transport.ResetTooFar
	RateLimitPastDeadline = transport.PastDeadline
)

// ErrRetryBudget means every allowed retry of a call was spent (on throttles, 5xx answers or
// network failures); the last failure is wrapped with it.
var ErrRetryBudget = transport.ErrRetryBudget

// ErrUnreachable means DocuSign answered nothing for long enough that calls now fail at once.
var ErrUnreachable = transport.ErrUnreachable

// ErrDeadline means the caller's deadline ended a call; it matches context.DeadlineExceeded.
var ErrDeadline = transport.ErrDeadline

// ErrOutcomeUnknown means DocuSign may or may not have done what a call asked.
var ErrOutcomeUnknown = transport.ErrOutcomeUnknown

// DefaultMaxRetries is how often one call is resent when Config.MaxRetries is nil.
const DefaultMaxRetries = transport.DefaultMaxRetries

// Retries is a Config.MaxRetries of n.
func Retries(n int) *int { return transport.Retries(n) }
