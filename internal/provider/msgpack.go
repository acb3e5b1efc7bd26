// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"encoding/binary"
	"math"
)

// msgpackWriter appends MessagePack, the encoding of values in terraform's plugin protocol, in the
// formats terraform-plugin-go's own encoder picks (the shortest of each family), so a value it
// writes is byte for byte what tfprotov6.NewDynamicValue writes for the same value.
type msgpackWriter struct {
	buf []byte
}

func (w *msgpackWriter) nil() { w.buf = append(w.buf, 0xc0) }

func (w *msgpackWriter) bool(b bool) {
	if b {
		w.buf = append(w.buf, 0xc3)
		return
	}
	w.buf = append(w.buf, 0xc2)
}

func (w *msgpackWriter) string(s string) {
	w.length(len(s), 0xa0, 32, 0xd9, 0xda, 0xdb)
	w.buf = append(w.buf, s...)
}

func (w *msgpackWriter) arrayLen(n int) { w.length(n, 0x90, 16, 0, 0xdc, 0xdd) }

func (w *msgpackWriter) mapLen(n int) { w.length(n, 0x80, 16, 0, 0xde, 0xdf) }

// length writes a string, array or map header: the fix format below fixLimit, then the 8-bit
// (when the family has one, code8 != 0), 16-bit and 32-bit forms.
func (w *msgpackWriter) length(n int, fix byte, fixLimit int, code8, code16, code32 byte) {
	switch {
	case n < fixLimit:
		w.buf = append(w.buf, fix|byte(n))
	case code8 != 0 && n <= math.MaxUint8:
		w.buf = append(w.buf, code8, byte(n))
	case n <= math.MaxUint16:
		w.buf = binary.BigEndian.AppendUint16(append(w.buf, code16), uint16(n))
	default:
		w.buf = binary.BigEndian.AppendUint32(append(w.buf, code32), uint32(n))
	}
}

// msgpackHeaderSize is how many bytes arrayLen(n) or mapLen(n) appends.
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

// msgpackStringSize is how many bytes string(s) appends.
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
