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

// builtInProfiles are the permission profiles every eSignature account starts with. Current
// accounts name them "DS Admin", "DS Sender" and "DS Viewer"; older accounts still show "Account
// Administrator", "DocuSign Sender" and "DocuSign Viewer" (legacy_profile_names). Their IDs are
// not the same everywhere: DocuSign's examples show other IDs for the same names than the
// 2301414–16 its spec text lists, so the emulator derives each account's own.
var builtInProfiles = []struct{ current, legacy string }{
	{"DS Admin", "Account Administrator"},
	{"DS Sender", "DocuSign Sender"},
	{"DS Viewer", "DocuSign Viewer"},
}

// defaultProfile is the profile of a member whose fixture or create request names none.
const defaultProfile = "DS Sender"

// canonicalProfile is how a membership stores its profile: a built-in profile by its current
// name, whichever name it was given by, so the naming switch changes only what the API shows.
func canonicalProfile(name string) string {
	name = strings.TrimSpace(name)
	for _, p := range builtInProfiles {
		if strings.EqualFold(name, p.current) || strings.EqualFold(name, p.legacy) {
			return p.current
		}
	}
	return name
}

// shownProfile is the name the API shows for a stored profile name.
func shownProfile(name string, legacy bool) string {
	if !legacy {
		return name
	}
	for _, p := range builtInProfiles {
		if name == p.current {
			return p.legacy
		}
	}
	return name
}

// profileName is the name the API shows for m's profile under the behaviour in force.
func (e *Emulator) profileName(m *membership) string {
	return shownProfile(m.permissionProfileName, e.behaviour.LegacyProfileNames)
}

// profileNames are the account's permission profiles, as stored: the built-in ones plus any
// other name its members hold (fixtures may give members custom profiles).
func (a *account) profileNames() []string {
	seen := map[string]bool{}
	var names []string
	add := func(n string) {
		if n != "" && !seen[strings.ToLower(n)] {
			seen[strings.ToLower(n)] = true
			names = append(names, n)
		}
	}
	for _, p := range builtInProfiles {
		add(p.current)
	}
	for _, m := range a.members {
		add(m.permissionProfileName)
	}
	return names
}

// profileID is the account's own ID for a profile name: stable, numeric, and different in every
// account, so a client that hard-codes IDs or reuses one account's IDs in another fails here. A
// built-in profile keeps its ID under either name, as a renamed profile does.
func (a *account) profileID(name string) string {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(a.ID) + "\x00" + strings.ToLower(canonicalProfile(name))))
	return strconv.FormatUint(10000000+uint64(h.Sum32())%90000000, 10)
}

// profileByID finds the account's profile with that ID, as stored.
func (a *account) profileByID(id string) (string, bool) {
	for _, n := range a.profileNames() {
		if a.profileID(n) == strings.TrimSpace(id) {
			return n, true
		}
	}
	return "", false
}

// profileByName finds the account's profile with that name as the API shows it, in any letter
// case, and returns it as stored. Under one naming the other naming's built-in names are unknown,
// as they are on a real account.
func (a *account) profileByName(name string, legacy bool) (string, bool) {
	for _, n := range a.profileNames() {
		if strings.EqualFold(shownProfile(n, legacy), strings.TrimSpace(name)) {
			return n, true
		}
	}
	return "", false
}

// resolveProfile picks the profile a user request names by ID or, without an ID, by name, as
// stored. An unknown one gives DocuSign's error code and message; neither gives "".
func (a *account) resolveProfile(id, name string, legacy bool) (profile, code, message string) {
	switch {
	case id != "":
		if n, ok := a.profileByID(id); ok {
			return n, "", ""
		}
		return "", "INVALID_PERMISSION_PROFILE_ID", "Permission profile " + id + " does not exist in this account."
	case name != "":
		if n, ok := a.profileByName(name, legacy); ok {
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
	legacy := e.behaviour.LegacyProfileNames
	stored := c.account.profileNames()
	sort.Slice(stored, func(i, j int) bool { return shownProfile(stored[i], legacy) < shownProfile(stored[j], legacy) })
	profiles := []map[string]any{}
	for _, n := range stored {
		count := 0
		for _, m := range c.account.members {
			if strings.EqualFold(m.permissionProfileName, n) && m.status != "Closed" {
				count++
			}
		}
		profiles = append(profiles, map[string]any{
			"permissionProfileId": c.account.profileID(n), "permissionProfileName": shownProfile(n, legacy), "userCount": strconv.Itoa(count),
			"modifiedDateTime": c.account.billingFrom.AddDate(-3, 0, 0).Format(esTime),
		})
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"permissionProfiles": profiles})
}

// PermissionProfileID is the account's own ID for a profile name, as GET …/permission_profiles
// lists it, for tests. A built-in profile is found by either of its names: its ID is the same
// under both.
func (e *Emulator) PermissionProfileID(accountID, name string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	acct := e.accounts[strings.ToLower(accountID)]
	if acct == nil {
		return "", false
	}
	n, ok := acct.profileByName(canonicalProfile(name), false)
	if !ok {
		return "", false
	}
	return acct.profileID(n), true
}

// PermissionProfileName is the name the API shows for a membership's permission profile under
// the behaviour in force, for tests.
func (e *Emulator) PermissionProfileName(userID, accountID string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u, acct := e.users[strings.ToLower(userID)], e.accounts[strings.ToLower(accountID)]
	if u == nil || acct == nil || u.membershipIn(acct) == nil {
		return "", false
	}
	return e.profileName(u.membershipIn(acct)), true
}
