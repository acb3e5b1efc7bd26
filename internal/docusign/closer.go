// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
)

// Closer coalesces concurrent closes in one account into batched DELETE …/users calls.
// Callers such as Terraform close users in parallel (10 at a time by default); each close asks
// the Closer, and closes that arrive within a short window share one call, yet each caller
// gets its own user's outcome back.
type Closer struct {
	esign  *esign.Client
	window time.Duration

	mu      sync.Mutex
	pending map[string]*closeBatch // by account ID

	// A caller runs a fixed number of operations at once (Terraform: 10 by default), and a
	// close holds its slot while it waits. So once as many closes wait as were ever inside Close at
	// the same time, no other close can arrive before one is answered: waiting out the rest of the
	// window would only add latency, and a window too short for a loaded terraform to refill every
	// slot would only split batches. The Closer learns that number and sends at once when it is
	// reached; the window remains the upper bound for everything else (the first batch, the tail
	// of an apply, closes sharing terraform's slots with other resources).
	waiting int  // callers in pending batches, every account
	active  int  // callers inside Close: waiting, or in a batch not yet answered
	peak    int  // most callers ever inside Close at once
	learned bool // a batch has waited out a full window, so peak means something

	// afterWindow runs flush when a batch's window is over. Tests that must count calls exactly
	// replace it, to end windows themselves instead of racing a clock.
	afterWindow func(window time.Duration, flush func())
}

type closeBatch struct {
	accountID string
	userIDs   []string
	// ctx carries the first caller's values (its logger) without its cancellation; deadline is
	// the latest of the callers' deadlines, zero when one of them has none.
	ctx        context.Context
	deadline   time.Time
	noDeadline bool
	done       chan struct{}
	results    map[string]esign.CloseResult
	err        error
}

// DefaultCloseBatchWindow is the longest a close waits for others to join its batch. Batches
// usually leave sooner, when every close terraform can run at once has joined (see Closer); the
// window only has to be long enough for a busy terraform to fill its slots.
const DefaultCloseBatchWindow = 50 * time.Millisecond

// defaultBatchTimeout bounds a batch whose callers set no deadline.
const defaultBatchTimeout = 10 * time.Minute

// NewCloser returns a Closer; window 0 takes DefaultCloseBatchWindow.
func NewCloser(c *esign.Client, window time.Duration) *Closer {
	if window <= 0 {
		window = DefaultCloseBatchWindow
	}
	return &Closer{esign: c, window: window, pending: map[string]*closeBatch{},
		afterWindow: func(d time.Duration, flush func()) { time.AfterFunc(d, flush) }}
}

// ExpectConcurrency tells the Closer how many closes its caller runs at once, when the caller
// knows it (a program with a fixed pool of workers, or a test that fixes terraform's parallelism):
// batches then leave as soon as that many wait, instead of after a first window spent learning
// it. Call counts then follow from the number of closes alone, whatever the machine's speed.
func (c *Closer) ExpectConcurrency(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n > 0 {
		c.peak = max(c.peak, n)
		c.learned = true
	}
}

// Close closes userID's membership in accountID, sharing the call with concurrent closes.
func (c *Closer) Close(ctx context.Context, accountID, userID string) (esign.CloseResult, error) {
	c.mu.Lock()
	c.active++
	c.peak = max(c.peak, c.active)
	batch := c.pending[accountID]
	if batch == nil {
		batch = &closeBatch{accountID: accountID, done: make(chan struct{}), ctx: context.WithoutCancel(ctx)}
		c.pending[accountID] = batch
		c.afterWindow(c.window, func() { c.flush(batch) })
	}
	if dl, ok := ctx.Deadline(); !ok {
		batch.noDeadline = true
	} else if dl.After(batch.deadline) {
		batch.deadline = dl
	}
	batch.userIDs = append(batch.userIDs, userID)
	c.waiting++
	switch {
	case len(batch.userIDs) >= esign.MaxPageSize:
		c.detach(batch)
		go c.send(batch)
	case c.learned && c.waiting >= c.peak:
		// Everyone who can arrive is here: send every account's batch now.
		for _, b := range c.pending {
			c.detach(b)
			go c.send(b)
		}
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

// detach takes a pending batch out of the Closer, to be sent; c.mu must be held.
func (c *Closer) detach(batch *closeBatch) {
	delete(c.pending, batch.accountID)
	c.waiting -= len(batch.userIDs)
}

// flush sends batch when its window ends, unless it already left.
func (c *Closer) flush(batch *closeBatch) {
	c.mu.Lock()
	if c.pending[batch.accountID] != batch {
		c.mu.Unlock()
		return // already sent: it filled up, or everyone had arrived
	}
	c.detach(batch)
	c.learned = true
	c.mu.Unlock()
	c.send(batch)
}

// send runs on its own context: the batch serves many callers and must not die with the first.
// It lives until the last caller's deadline (or defaultBatchTimeout when a caller has none), and
// logs through the first caller's logger.
func (c *Closer) send(batch *closeBatch) {
	c.mu.Lock()
	deadline := batch.deadline
	if batch.noDeadline || deadline.IsZero() {
		deadline = time.Now().Add(defaultBatchTimeout)
	}
	c.mu.Unlock()

	ctx, cancel := context.WithDeadline(batch.ctx, deadline)
	defer cancel()
	ids := dedupe(batch.userIDs)
	results, _, err := closeSplitting(ctx, c.esign, batch.accountID, ids)
	batch.err = err
	batch.results = make(map[string]esign.CloseResult, len(results))
	for _, r := range results {
		batch.results[strings.ToLower(r.UserID)] = r
	}
	// The batch's callers leave Close now. Counting them out before they wake keeps a caller that
	// terraform sends straight back from being counted twice, which would inflate peak.
	c.mu.Lock()
	c.active -= len(batch.userIDs)
	c.mu.Unlock()
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
