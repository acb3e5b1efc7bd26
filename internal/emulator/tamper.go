// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Tamper rewrites the emulator's successful answers on one route, the way a broken or hostile
// system between the provider and DocuSign could: a close answered as if the user were still
// Active, a user or account left out of the answer, or an error object sent with status 200.
// The provider must trust a close only when the answer confirms it, and never read an error body
// as data. Tampers are for tests; they are not a DocuSign behaviour.
type Tamper struct {
	// Route is "METHOD template" as RouteTemplates lists it, e.g.
	// "DELETE /restapi/v2.1/accounts/{accountId}/users".
	Route string `json:"route"`
	// UserStatus sets users[].userStatus of these user IDs in the answer.
	UserStatus map[string]string `json:"user_status,omitempty"`
	// DropUsers removes these user IDs from the answer's users[].
	DropUsers []string `json:"drop_users,omitempty"`
	// DropAccounts removes these account IDs from the answer's accounts[] (Admin close memberships).
	DropAccounts []string `json:"drop_accounts,omitempty"`
	// Body replaces the whole answer; the status stays 200.
	Body json.RawMessage `json:"body,omitempty"`
	// SkipWork answers with Body without running the route, so nothing changes in the emulator.
	SkipWork bool `json:"skip_work,omitempty"`
	// Times is how many answers to rewrite; 0 means every one until the tampers are cleared.
	Times int `json:"times,omitempty"`
}

func (t Tamper) validate() error {
	if !slices.Contains(RouteTemplates(), t.Route) {
		return fmt.Errorf("tamper: route %q is not one of the emulator's routes", t.Route)
	}
	if t.SkipWork && len(t.Body) == 0 {
		return fmt.Errorf("tamper: skip_work needs a body to answer with")
	}
	if len(t.Body) > 0 && !json.Valid(t.Body) {
		return fmt.Errorf("tamper: body is not JSON")
	}
	if t.Times < 0 {
		return fmt.Errorf("tamper: times must not be negative")
	}
	return nil
}

// SetTampers replaces the tampers in force; none clears them.
func (e *Emulator) SetTampers(tampers ...Tamper) error {
	for _, t := range tampers {
		if err := t.validate(); err != nil {
			return err
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.tampers = nil
	for _, t := range tampers {
		e.tampers = append(e.tampers, &t)
	}
	return nil
}

// Tampers returns the tampers still in force.
func (e *Emulator) Tampers() []Tamper {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := []Tamper{}
	for _, t := range e.tampers {
		out = append(out, *t)
	}
	return out
}

// tamperFor takes the first tamper of a route, counting one use; e.mu must be held.
func (e *Emulator) tamperFor(route string) *Tamper {
	for i, t := range e.tampers {
		if t.Route != route {
			continue
		}
		if t.Times > 0 {
			t.Times--
			if t.Times == 0 {
				e.tampers = slices.Delete(e.tampers, i, i+1)
			}
		}
		e.stats.InjectedFaults++
		return t
	}
	return nil
}

// rewrite changes a successful answer as the tamper says.
func (t *Tamper) rewrite(rec *bufferedResponse) {
	if rec.status >= 300 {
		return
	}
	if len(t.Body) > 0 {
		rec.body.Reset()
		rec.body.Write(t.Body)
		return
	}
	var answer map[string]any
	if json.Unmarshal(rec.body.Bytes(), &answer) != nil {
		return
	}
	if users, ok := answer["users"].([]any); ok {
		var kept []any
		for _, item := range users {
			u, _ := item.(map[string]any)
			id, _ := u["userId"].(string)
			if containsFold(t.DropUsers, id) {
				continue
			}
			for want, status := range t.UserStatus {
				if strings.EqualFold(want, id) {
					u["userStatus"] = status
				}
			}
			kept = append(kept, item)
		}
		answer["users"] = kept
	}
	if accounts, ok := answer["accounts"].([]any); ok && len(t.DropAccounts) > 0 {
		kept := []any{} // an emptied list stays a list: the Admin API never answers null
		for _, item := range accounts {
			a, _ := item.(map[string]any)
			if id, _ := a["id"].(string); !containsFold(t.DropAccounts, id) {
				kept = append(kept, item)
			}
		}
		answer["accounts"] = kept
	}
	rec.body.Reset()
	_ = json.NewEncoder(&rec.body).Encode(answer)
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

// tamperRoutes are the control routes of the tampers: PUT replaces them with a JSON array,
// GET lists the ones in force, DELETE clears them.
func (e *Emulator) tamperRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_emulator/tamper", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, e.Tampers())
	})
	mux.HandleFunc("PUT /_emulator/tamper", func(w http.ResponseWriter, r *http.Request) {
		var tampers []Tamper
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&tampers); err != nil {
			controlError(w, http.StatusBadRequest, "tamper: "+err.Error())
			return
		}
		if err := e.SetTampers(tampers...); err != nil {
			controlError(w, http.StatusBadRequest, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, e.Tampers())
	})
	mux.HandleFunc("DELETE /_emulator/tamper", func(w http.ResponseWriter, r *http.Request) {
		_ = e.SetTampers()
		w.WriteHeader(http.StatusNoContent)
	})
}
