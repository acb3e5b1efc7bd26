// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net/http"
	"strings"
)

// applyUserUpdate changes one membership's user as PUT …/users and PUT …/users/{userId} do:
// names (empty means unchanged) and the permission profile, by ID or by name. It never reopens a
// closed user, because DocuSign documents no eSignature route that does. An unknown profile
// changes nothing and gives DocuSign's error code and message.
func (e *Emulator) applyUserUpdate(m *membership, body userUpdateRequest) (code, message string) {
	profile, code, message := m.account.resolveProfile(body.PermissionProfileID, body.PermissionProfileName, e.behaviour.LegacyProfileNames)
	if code != "" {
		return code, message
	}
	u := m.user
	e.touch(u)
	if body.UserName != "" {
		u.userName = body.UserName
	}
	if body.FirstName != "" {
		u.first = body.FirstName
	}
	if body.LastName != "" {
		u.last = body.LastName
	}
	if profile != "" {
		m.permissionProfileName = profile
	}
	return "", ""
}

// handleUpdateUsers is the bulk PUT …/users with {"users":[{userId, …}]}. Each user succeeds or
// fails on its own, with errorDetails inline, as the batch close does. users_self_only does not
// apply here: the newer spec's note is on …/users/{userId} only.
func (e *Emulator) handleUpdateUsers(c *call) {
	if !e.requireAccountAdmin(c) {
		return
	}
	var body struct {
		Users []struct {
			UserID string `json:"userId"`
			userUpdateRequest
		} `json:"users"`
	}
	if !decodeBody(c, &body) {
		return
	}
	if len(body.Users) == 0 {
		writeJSON(c.w, http.StatusBadRequest, esignError("INVALID_REQUEST_BODY", "The request body must list users to update."))
		return
	}
	var out []map[string]any
	for _, item := range body.Users {
		m := e.memberByID(c.account, item.UserID)
		if m == nil || strings.TrimSpace(item.UserID) == "" {
			out = append(out, map[string]any{"userId": item.UserID, "errorDetails": map[string]string{
				"errorCode": "USER_DOES_NOT_EXIST_IN_SYSTEM", "message": "The user does not exist in the system."}})
			continue
		}
		if code, msg := e.applyUserUpdate(m, item.userUpdateRequest); code != "" {
			out = append(out, map[string]any{"userId": m.user.id, "errorDetails": map[string]string{"errorCode": code, "message": msg}})
			continue
		}
		out = append(out, e.userInformation(m))
	}
	page := listPage(c, "users", out, len(out), 0, len(out))
	delete(page, "nextUri")
	writeJSON(c.w, http.StatusOK, page)
}
