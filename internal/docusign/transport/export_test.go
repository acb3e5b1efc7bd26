// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package transport

// SetMaxStreamBody lowers the streamed-answer cap for a test and returns the way back.
func SetMaxStreamBody(n int64) (restore func()) {
	old := maxStreamBody
	maxStreamBody = n
	return func() { maxStreamBody = old }
}
