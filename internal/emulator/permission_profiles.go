// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"hash/fnv"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// builtInProfiles are the permission profiles every eSignature account starts with. Their names
// are the same everywhere, their IDs are not: DocuSign's examples show other IDs for the same
// names than the 2301414–16 its spec text lists, so the emulator derives each account's own.
var builtInProfiles = []string{"Account Administrator", "DocuSign Sender", "DocuSign Viewer"}

// profileNames are the account's permission profiles: the built-in ones plus any other name its
// members hold (fixtures may give members custom profiles).
func (a *account) profileNames() []string {
	seen := map[string]bool{}
	var names []string
	add := func(n string) {
		if n != "" && !seen[strings.ToLower(n)] {
			seen[strings.ToLower(n)] = true
			names = append(names, n)
		}
	}
	for _, n := range builtInProfiles {
		add(n)
	}
	for _, m := range a.members {
		add(m.permissionProfileName)
	}
	sort.Strings(names)
	return names
}

// profileID is the account's own ID for a profile name: stable, numeric, and different in every
// account, so a client that hard-codes IDs or reuses one account's IDs in another fails here.
func (a *account) profileID(name string) string {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(a.ID) + "\x00" + strings.ToLower(name)))
	return strconv.FormatUint(10000000+uint64(h.Sum32())%90000000, 10)
}

// profileByID finds the account's profile with that ID.
func (a *account) profileByID(id string) (string, bool) {
	for _, n := range a.profileNames() {
		if a.profileID(n) == strings.TrimSpace(id) {
			return n, true
		}
	}
	return "", false
}

// profileByName finds the account's profile with that name, in any letter case.
func (a *account) profileByName(name string) (string, bool) {
	for _, n := range a.profileNames() {
		if strings.EqualFold(n, strings.TrimSpace(name)) {
			return n, true
		}
	}
	return "", false
}

// resolveProfile picks the profile a user request names by ID or, without an ID, by name. An
// unknown one gives DocuSign's error code and message; neither gives "".
func (a *account) resolveProfile(id, name string) (profile, code, message string) {
	switch {
	case id != "":
		if n, ok := a.profileByID(id); ok {
			return n, "", ""
		}
		return "", "INVALID_PERMISSION_PROFILE_ID", "Permission profile " + id + " does not exist in this account."
	case name != "":
		if n, ok := a.profileByName(name); ok {
			return n, "", ""
		}
		return "", "INVALID_PERMISSION_PROFILE_NAME", "Permission profile '" + name + "' does not exist in this account."
	}
	return "", "", ""
}

// handlePermissionProfiles is GET …/permission_profiles: the account's profiles with their IDs.
func (e *Emulator) handlePermissionProfiles(c *call) {
	if !e.requireAccountAdmin(c) {
		return
	}
	profiles := []map[string]any{}
	for _, n := range c.account.profileNames() {
		count := 0
		for _, m := range c.account.members {
			if strings.EqualFold(m.permissionProfileName, n) && m.status != "Closed" {
				count++
			}
		}
		profiles = append(profiles, map[string]any{
			"permissionProfileId": c.account.profileID(n), "permissionProfileName": n, "userCount": strconv.Itoa(count),
			"modifiedDateTime": c.account.billingFrom.AddDate(-3, 0, 0).Format(esTime),
		})
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"permissionProfiles": profiles})
}

// PermissionProfileID is the account's own ID for a profile name, as GET …/permission_profiles
// lists it, for tests.
func (e *Emulator) PermissionProfileID(accountID, name string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	acct := e.accounts[strings.ToLower(accountID)]
	if acct == nil {
		return "", false
	}
	n, ok := acct.profileByName(name)
	if !ok {
		return "", false
	}
	return acct.profileID(n), true
}
