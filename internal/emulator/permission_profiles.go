package emulator

import (
	"crypto/sha256"
	"encoding/binary"
	"net/http"
	"strconv"
	"strings"
)

// Permission profiles belong to an account, and so do their IDs: DocuSign's spec text lists
// 2301414–16 for the built-in profiles, yet its examples show other IDs for the same names, so
// nothing may assume one account's IDs hold in another. The emulator derives each account's IDs
// from the account, so two accounts never share them.

type permissionProfile struct {
	id, name string
}

// builtinProfiles are the profiles every new eSignature account starts with.
var builtinProfiles = []string{"Account Administrator", "DocuSign Sender", "DocuSign Viewer"}

// addProfile gives the account a profile called name, unless it has one; the ID is a stable
// number derived from the account and the name.
func (a *account) addProfile(name string) *permissionProfile {
	if p := a.profileByName(name); p != nil {
		return p
	}
	sum := sha256.Sum256([]byte(strings.ToLower(a.ID) + "\x00" + strings.ToLower(name)))
	id := strconv.FormatUint(10_000_000+binary.BigEndian.Uint64(sum[:8])%89_999_999, 10)
	p := &permissionProfile{id: id, name: name}
	a.profiles = append(a.profiles, p)
	return p
}

func (a *account) profileByName(name string) *permissionProfile {
	for _, p := range a.profiles {
		if strings.EqualFold(p.name, name) {
			return p
		}
	}
	return nil
}

func (a *account) profileByID(id string) *permissionProfile {
	for _, p := range a.profiles {
		if p.id == id {
			return p
		}
	}
	return nil
}

// profileID is the account's ID of the named profile, "" if it has none.
func (a *account) profileID(name string) string {
	if p := a.profileByName(name); p != nil {
		return p.id
	}
	return ""
}

// resolveProfile picks the profile a POST or PUT …/users asks for: by ID, which must be one of the
// account's own, else by name, which must exist in the account. It answers DocuSign's error code
// and message when neither fits.
func (a *account) resolveProfile(id, name string) (*permissionProfile, string, string) {
	if id != "" {
		if p := a.profileByID(id); p != nil {
			return p, "", ""
		}
		return nil, "INVALID_PERMISSION_PROFILE_ID", "Permission profile " + id + " does not exist in account " + a.ID + "."
	}
	if name != "" {
		if p := a.profileByName(name); p != nil {
			return p, "", ""
		}
		return nil, "INVALID_PERMISSION_PROFILE_NAME", "Permission profile " + name + " does not exist in account " + a.ID + "."
	}
	return nil, "", ""
}

// handlePermissionProfiles is GET …/permission_profiles: the account's profiles with its own IDs.
func (e *Emulator) handlePermissionProfiles(c *call) {
	profiles := []map[string]any{}
	for _, p := range c.account.profiles {
		row := map[string]any{"permissionProfileId": p.id, "permissionProfileName": p.name}
		if strings.Contains(c.r.URL.Query().Get("include"), "user_count") {
			n := 0
			for _, m := range c.account.members {
				if strings.EqualFold(m.permissionProfileName, p.name) && m.status != "Closed" {
					n++
				}
			}
			row["userCount"] = strconv.Itoa(n)
		}
		profiles = append(profiles, row)
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"permissionProfiles": profiles})
}
