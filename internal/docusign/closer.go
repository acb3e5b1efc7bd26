package docusign

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
)

// Closer coalesces concurrent closes in one account into batched DELETE …/users calls.
// Terraform creates resources in parallel (10 at a time by default); each docusign_closed_user
// asks the Closer, and closes that arrive within a short window share one call, yet each caller
// gets its own user's outcome back.
type Closer struct {
	esign  *esign.Client
	window time.Duration

	mu      sync.Mutex
	pending map[string]*closeBatch // by account ID
	calls   int
}

type closeBatch struct {
	accountID string
	userIDs   []string
	done      chan struct{}
	results   map[string]esign.CloseResult
	err       error
}

// DefaultCloseBatchWindow trades a little latency for far fewer calls.
const DefaultCloseBatchWindow = 25 * time.Millisecond

// NewCloser returns a Closer; window 0 takes DefaultCloseBatchWindow.
func NewCloser(c *esign.Client, window time.Duration) *Closer {
	if window <= 0 {
		window = DefaultCloseBatchWindow
	}
	return &Closer{esign: c, window: window, pending: map[string]*closeBatch{}}
}

// Calls counts the DELETE …/users calls made so far.
func (c *Closer) Calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls
}

// Close closes userID's membership in accountID, sharing the call with concurrent closes.
func (c *Closer) Close(ctx context.Context, accountID, userID string) (esign.CloseResult, error) {
	c.mu.Lock()
	batch := c.pending[accountID]
	if batch == nil {
		batch = &closeBatch{accountID: accountID, done: make(chan struct{})}
		c.pending[accountID] = batch
		time.AfterFunc(c.window, func() { c.flush(batch) })
	}
	batch.userIDs = append(batch.userIDs, userID)
	if len(batch.userIDs) >= esign.MaxPageSize {
		delete(c.pending, accountID)
		go c.send(batch)
	}
	c.mu.Unlock()

	select {
	case <-batch.done:
	case <-ctx.Done():
		return esign.CloseResult{}, ctx.Err()
	}
	if batch.err != nil {
		return esign.CloseResult{}, batch.err
	}
	return batch.results[strings.ToLower(userID)], nil
}

func (c *Closer) flush(batch *closeBatch) {
	c.mu.Lock()
	if c.pending[batch.accountID] != batch {
		c.mu.Unlock()
		return // already sent because it filled up
	}
	delete(c.pending, batch.accountID)
	c.mu.Unlock()
	c.send(batch)
}

// send runs on its own context: the batch serves many callers and must not die with the first.
func (c *Closer) send(batch *closeBatch) {
	c.mu.Lock()
	c.calls++
	c.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ids := dedupe(batch.userIDs)
	results, err := c.esign.CloseUsers(ctx, batch.accountID, ids)
	batch.err = err
	batch.results = make(map[string]esign.CloseResult, len(results))
	for _, r := range results {
		batch.results[strings.ToLower(r.UserID)] = r
	}
	close(batch.done)
}

func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		key := strings.ToLower(id)
		if !seen[key] {
			seen[key] = true
			out = append(out, id)
		}
	}
	return out
}
