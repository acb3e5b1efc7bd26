// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulatorcheck

import "fmt"

// jobStore is an emulator that reports the bulk jobs an organization still holds (an
// *emulator.Emulator does); DocuSign caps them at about 90 per organization.
type jobStore interface {
	StoredExports(orgID string) int
	StoredImports(orgID string) int
}

type storedJobs struct {
	emu              Emulator
	orgID            string
	exports, imports int
}

// StoredJobs checks how many user-list exports and bulk imports the organization still holds:
// 0 and 0 prove the provider deleted every job it started.
func StoredJobs(emu Emulator, orgID string, exports, imports int) Check {
	return stateCheck{storedJobs{emu, orgID, exports, imports}}
}

func (c storedJobs) Verify() error {
	jobs, ok := c.emu.(jobStore)
	if !ok {
		return fmt.Errorf("the emulator %T does not report its stored jobs", c.emu)
	}
	if e, i := jobs.StoredExports(c.orgID), jobs.StoredImports(c.orgID); e != c.exports || i != c.imports {
		return fmt.Errorf("organization %s holds %d exports and %d imports, want %d and %d", c.orgID, e, i, c.exports, c.imports)
	}
	return nil
}
