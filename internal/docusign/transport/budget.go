// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
)

// Memory bounds of the answers the transport reads.
//
// Each answer has its own cap, but that alone lets ten parallel calls hold ten capped answers at
// once: ten 100 MB answers from a broken proxy took a provider to 1.7 GB. So every answer read
// in the process also draws its bytes from one shared Budget, and a call whose bytes do not fit
// waits for others to finish rather than failing.
const (
	// DefaultMemoryBudget is what all answers being read at once may hold together.
	DefaultMemoryBudget = 256 << 20
	// DefaultMaxAnswer caps one decoded (JSON) answer. DocuSign pages its JSON listings, so a
	// real answer is a few MB at most.
	DefaultMaxAnswer = 64 << 20
	// DefaultMaxFileAnswer caps one file answer read whole (Request.RawOut: bulk export and
	// import result CSVs, about 30 MB per 100,000 memberships). A streamed body has no cap: it
	// holds only the chunk being read. The cap stays a quarter below the budget: a stream's
	// consumer may make another call between two reads while its chunk stays counted, and that
	// call must still find room for its whole claim once everyone else has finished.
	DefaultMaxFileAnswer = DefaultMemoryBudget / 4 * 3
)

// ErrAnswerTooLarge marks an answer longer than the transport reads into memory.
var ErrAnswerTooLarge = errors.New("answer too large")

// AnswerTooLargeError names the call and the answer's size, never its content.
type AnswerTooLargeError struct {
	API          API
	Method, Path string
	// Size is the answer's declared length, or -1 when it came without one (then the reading
	// stopped at Limit).
	Size  int64
	Limit int64
}

func (e *AnswerTooLargeError) Error() string {
	size := fmt.Sprintf("more than %s", mib(e.Limit))
	if e.Size >= 0 {
		size = fmt.Sprintf("%d bytes (%s), more than %s", e.Size, mib(e.Size), mib(e.Limit))
	}
	return fmt.Sprintf("%s %s: DocuSign's %s API answered with %s, the most the provider reads of one answer; "+
		"check that the configured hosts are DocuSign's and that no proxy in between rewrites the answers",
		e.Method, e.Path, e.API, size)
}

func (e *AnswerTooLargeError) Unwrap() error { return ErrAnswerTooLarge }

func mib(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// Budget bounds the bytes that the answers being read hold together. It is safe for concurrent
// use.
//
// Each reader opens a Hold with a claim (the most it may ever hold: its answer's declared length,
// or the per-answer cap) and grows it as bytes arrive. Growing by bytes rather than reserving
// the claim up front lets many small answers share the budget; the catch is that readers which
// each hold a part and all wait for more would wait forever. A grant is therefore made only when,
// afterwards, the readers holding bytes can still all finish one after another (the banker's
// algorithm, for one resource). Readers holding nothing never block anyone: they wait for bytes
// to be released.
type Budget struct {
	total int64

	mu      sync.Mutex
	used    int64
	holds   map[*Hold]struct{} // those holding bytes
	changed chan struct{}      // closed and replaced whenever bytes are released
	peak    int64
}

// NewBudget returns a budget of total bytes.
func NewBudget(total int64) *Budget {
	return &Budget{total: max(total, 1), holds: map[*Hold]struct{}{}, changed: make(chan struct{})}
}

// sharedBudget is the process's budget: a provider process may run several clients (one per
// provider configuration), and the memory they share is the process's.
var sharedBudget = NewBudget(DefaultMemoryBudget)

// SharedBudget is the budget every Transport draws from unless Options.Budget names another.
func SharedBudget() *Budget { return sharedBudget }

// Total is the budget's size in bytes.
func (b *Budget) Total() int64 { return b.total }

// InUse is the bytes held right now.
func (b *Budget) InUse() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// Peak is the most bytes ever held at once.
func (b *Budget) Peak() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.peak
}

// Hold is one reader's share of a Budget. It is not safe for concurrent use by several readers.
type Hold struct {
	b     *Budget
	claim int64
	held  int64
}

// Open starts a share that may grow up to claim bytes (at most the whole budget).
func (b *Budget) Open(claim int64) *Hold {
	return &Hold{b: b, claim: min(max(claim, 1), b.total)}
}

// Held is the bytes this share holds.
func (h *Hold) Held() int64 { return h.held }

// Grow waits until n more bytes fit, or ctx ends. It never takes the share past its claim.
func (h *Hold) Grow(ctx context.Context, n int64) error {
	if n <= 0 {
		return nil
	}
	if h.held+n > h.claim {
		return fmt.Errorf("transport budget: growing a share of %d bytes by %d passes its claim of %d", h.held, n, h.claim)
	}
	b := h.b
	for {
		b.mu.Lock()
		if b.safe(h, n) {
			h.held += n
			b.used += n
			b.peak = max(b.peak, b.used)
			b.holds[h] = struct{}{}
			b.mu.Unlock()
			return nil
		}
		changed := b.changed
		b.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}

// Shrink gives n bytes back.
func (h *Hold) Shrink(n int64) {
	n = min(n, h.held)
	if n <= 0 {
		return
	}
	b := h.b
	b.mu.Lock()
	h.held -= n
	b.used -= n
	if h.held == 0 {
		delete(b.holds, h)
	}
	close(b.changed)
	b.changed = make(chan struct{})
	b.mu.Unlock()
}

// Close gives everything back; a closed share may be grown again.
func (h *Hold) Close() { h.Shrink(h.held) }

// safe reports whether h may take n more bytes: they fit, and afterwards every share holding
// bytes can still reach its claim in some order, each finishing share giving its bytes back.
// With one resource, finishing the smallest remaining need first finds such an order if any
// exists. Called with b.mu held.
func (b *Budget) safe(h *Hold, n int64) bool {
	free := b.total - b.used - n
	if free < 0 {
		return false
	}
	type share struct{ need, held int64 }
	shares := make([]share, 0, len(b.holds)+1)
	for o := range b.holds {
		if o != h {
			shares = append(shares, share{o.claim - o.held, o.held})
		}
	}
	shares = append(shares, share{h.claim - h.held - n, h.held + n})
	slices.SortFunc(shares, func(x, y share) int { return compareInt64(x.need, y.need) })
	for _, s := range shares {
		if s.need > free {
			return false
		}
		free += s.held
	}
	return true
}

func compareInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// firstRead is how much an answer of unknown length is first given room for, so that small
// answers (most of DocuSign's) take little of the budget.
const firstRead = 32 << 10

// readAnswer reads a whole answer of at most limit bytes within the budget. declared is the
// answer's Content-Length, or -1. The bytes stay counted until release is called; on an error
// nothing stays counted. An answer over limit fails with ErrAnswerTooLarge (size and limit only,
// no content): at once when its declared length says so, else once limit bytes have been read.
func (b *Budget) readAnswer(ctx context.Context, body io.Reader, declared, limit int64) (data []byte, release func(), err error) {
	limit = min(limit, b.total)
	if declared > limit {
		return nil, nil, &AnswerTooLargeError{Size: declared, Limit: limit}
	}
	if declared >= 0 {
		h := b.Open(declared)
		if err := h.Grow(ctx, declared); err != nil {
			return nil, nil, err
		}
		data = make([]byte, declared)
		if _, err := io.ReadFull(body, data); err != nil {
			h.Close()
			return nil, nil, err
		}
		return data, h.Close, nil
	}

	// Unknown length: read into chunks, the budget asked for each before it is allocated, and
	// joined once the answer has ended. Chunks rather than one room that doubles: an answer that
	// turns out too long leaves only its chunks as garbage, not every room it outgrew too, and
	// ten hostile answers leave half as much for the collector to catch up with.
	h := b.Open(limit)
	var chunks [][]byte
	var read int64
	for {
		size := min(chunkSize(read), limit-read)
		if size == 0 {
			// Full at the limit: one more byte says whether the answer goes on.
			var probe [1]byte
			n, rerr := io.ReadFull(body, probe[:])
			if n > 0 {
				h.Close()
				return nil, nil, &AnswerTooLargeError{Size: -1, Limit: limit}
			}
			if rerr != nil && !errors.Is(rerr, io.EOF) {
				h.Close()
				return nil, nil, rerr
			}
			break
		}
		if err := h.Grow(ctx, size); err != nil {
			h.Close()
			return nil, nil, err
		}
		chunk := make([]byte, size)
		n, rerr := io.ReadFull(body, chunk)
		chunks = append(chunks, chunk[:n])
		read += int64(n)
		if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
			break
		}
		if rerr != nil {
			h.Close()
			return nil, nil, rerr
		}
	}
	if len(chunks) == 1 {
		return chunks[0], h.Close, nil
	}
	// The joined answer replaces the chunks, which become garbage: counted as given back.
	joined := make([]byte, 0, read)
	for _, c := range chunks {
		joined = append(joined, c...)
	}
	h.Shrink(h.Held() - read)
	return joined, h.Close, nil
}

// chunkSize is the next chunk of an answer of unknown length once read bytes have arrived: the
// first is small, as most of DocuSign's answers are, and they double up to a MiB.
func chunkSize(read int64) int64 {
	return min(max(int64(firstRead), read), 1<<20)
}

// StreamChunk is the most a streamed body holds of the budget between two reads.
const StreamChunk = 256 << 10

// Stream wraps a body read chunk by chunk (a CSV parsed as it arrives): each Read waits for
// room for what it returns, and that room is given back at the next Read or at Close, by when a
// streaming consumer has parsed the chunk. So a streamed answer holds only what it buffers,
// however long it is. Close also closes body when it is an io.Closer.
func (b *Budget) Stream(ctx context.Context, body io.Reader) io.ReadCloser {
	return &streamReader{ctx: ctx, body: body, hold: b.Open(StreamChunk)}
}

type streamReader struct {
	ctx  context.Context // a Read has no context of its own; the call's bounds each wait
	body io.Reader
	hold *Hold
}

func (s *streamReader) Read(p []byte) (int, error) {
	s.hold.Close()
	if len(p) == 0 {
		return 0, nil
	}
	want := min(int64(len(p)), StreamChunk)
	if err := s.hold.Grow(s.ctx, want); err != nil {
		return 0, err
	}
	n, err := s.body.Read(p[:want])
	s.hold.Shrink(want - int64(n))
	return n, err
}

func (s *streamReader) Close() error {
	s.hold.Close()
	if c, ok := s.body.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
