// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"math"

	"github.com/vmihailenco/msgpack/v5"
)

// msgpackWriter appends MessagePack, the encoding of values in terraform's plugin protocol, with
// the encoder terraform-plugin-go's tfprotov6.NewDynamicValue itself uses, so that a value written
// here is byte for byte what the framework would send (TestEncodeMemberListIsTheFrameworksEncoding).
// It replaced a hand-written writer of the same formats. The encoder's calls go through an
// interface and return errors, so the encoding alone takes about 1.7 times the CPU
// (BenchmarkEncodeMemberList100k: some 20 ms more per 100,000 members), a percent or two of the
// whole read and below what BenchmarkSubscriptionsExport100k tells apart; in exchange the encoding
// is terraform-plugin-go's own by construction rather than by a copy of its choices.
type msgpackWriter struct {
	buf *appendBuffer
	enc *msgpack.Encoder
}

// newMsgpackWriter returns a writer whose buffer holds size bytes before it grows.
func newMsgpackWriter(size int) msgpackWriter {
	buf := &appendBuffer{b: make([]byte, 0, size)}
	return msgpackWriter{buf: buf, enc: msgpack.NewEncoder(buf)}
}

// appendBuffer is the encoder's writer: plain appends, where a bytes.Buffer's writes also check
// for a read offset and grow by their own rule. Its writes do not fail, so the Encode calls below
// drop their errors, which are the writer's.
type appendBuffer struct{ b []byte }

func (a *appendBuffer) Write(p []byte) (int, error) {
	a.b = append(a.b, p...)
	return len(p), nil
}

func (a *appendBuffer) WriteString(s string) (int, error) {
	a.b = append(a.b, s...)
	return len(s), nil
}

func (a *appendBuffer) WriteByte(c byte) error {
	a.b = append(a.b, c)
	return nil
}

func (w msgpackWriter) nil() { _ = w.enc.EncodeNil() }

func (w msgpackWriter) bool(b bool) { _ = w.enc.EncodeBool(b) }

func (w msgpackWriter) string(s string) { _ = w.enc.EncodeString(s) }

func (w msgpackWriter) arrayLen(n int) { _ = w.enc.EncodeArrayLen(n) }

func (w msgpackWriter) mapLen(n int) { _ = w.enc.EncodeMapLen(n) }

// raw appends bytes that are MessagePack already.
func (w msgpackWriter) raw(b []byte) { w.buf.b = append(w.buf.b, b...) }

// bytes returns what was written.
func (w msgpackWriter) bytes() []byte { return w.buf.b }

// msgpackHeaderSize is how many bytes arrayLen(n) or mapLen(n) appends: the fix format below 16,
// then the 16-bit and 32-bit forms (arrays and maps have no 8-bit form).
func msgpackHeaderSize(n int) int {
	switch {
	case n < 16:
		return 1
	case n <= math.MaxUint16:
		return 3
	default:
		return 5
	}
}

// msgpackStringSize is how many bytes string(s) appends: the fix format below 32 bytes, then the
// 8-bit, 16-bit and 32-bit forms.
func msgpackStringSize(s string) int {
	switch n := len(s); {
	case n < 32:
		return 1 + n
	case n <= math.MaxUint8:
		return 2 + n
	case n <= math.MaxUint16:
		return 3 + n
	default:
		return 5 + n
	}
}
