// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// controlRoutes are the unauthenticated /_emulator/ routes tests and scripts use to read
// counters, inject faults and make out-of-band changes. They never count as API calls.
func (e *Emulator) controlRoutes(mux *http.ServeMux) {
	e.tamperRoutes(mux)
	mux.HandleFunc("GET /_emulator/stats", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, e.Stats())
	})
	mux.HandleFunc("POST /_emulator/stats/reset", func(w http.ResponseWriter, r *http.Request) {
		e.ResetStats()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_emulator/faults", func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		f := e.faults
		e.mu.Unlock()
		writeJSON(w, http.StatusOK, f)
	})
	mux.HandleFunc("PUT /_emulator/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Faults
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			controlError(w, http.StatusBadRequest, "faults: "+err.Error())
			return
		}
		for _, rate := range []float64{f.ErrorRate, f.ThrottleRate, f.DropRate} {
			if rate < 0 || rate > 1 {
				controlError(w, http.StatusBadRequest, "faults: rates must be between 0 and 1")
				return
			}
		}
		e.SetFaults(f)
		writeJSON(w, http.StatusOK, f)
	})
	mux.HandleFunc("GET /_emulator/behaviour", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, e.Behaviour())
	})
	mux.HandleFunc("PUT /_emulator/behaviour", func(w http.ResponseWriter, r *http.Request) {
		var b Behaviour
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&b); err != nil {
			controlError(w, http.StatusBadRequest, "behaviour: "+err.Error())
			return
		}
		e.SetBehaviour(b)
		writeJSON(w, http.StatusOK, b)
	})
	mux.HandleFunc("GET /_emulator/jobs", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, e.JobSettings())
	})
	mux.HandleFunc("PUT /_emulator/jobs", func(w http.ResponseWriter, r *http.Request) {
		var s JobSettings
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil || s.DelayMS < 0 || s.ExportTTLMS < 0 || s.CloseImportUsersPerAccount < 0 {
			controlError(w, http.StatusBadRequest, "jobs: delay_ms, export_ttl_ms and close_import_users_per_account are non-negative integers")
			return
		}
		e.SetJobSettings(s)
		writeJSON(w, http.StatusOK, s)
	})
	mux.HandleFunc("POST /_emulator/fixture", func(w http.ResponseWriter, r *http.Request) {
		data, err := io.ReadAll(r.Body)
		if err != nil {
			controlError(w, http.StatusBadRequest, err.Error())
			return
		}
		f, err := ParseFixture(data)
		if err == nil {
			err = e.MergeFixture(f)
		}
		if err != nil {
			controlError(w, http.StatusBadRequest, err.Error())
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_emulator/users/{userId}", func(w http.ResponseWriter, r *http.Request) {
		u, ok := e.User(r.PathValue("userId"))
		if !ok {
			controlError(w, http.StatusNotFound, "no user "+r.PathValue("userId"))
			return
		}
		writeJSON(w, http.StatusOK, u)
	})
	mux.HandleFunc("PUT /_emulator/users/{userId}/memberships/{accountId}", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Status string `json:"status"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			controlError(w, http.StatusBadRequest, err.Error())
			return
		}
		if err := e.SetMembershipStatus(r.PathValue("userId"), r.PathValue("accountId"), body.Status); err != nil {
			status := http.StatusBadRequest
			if strings.HasPrefix(err.Error(), "no ") {
				status = http.StatusNotFound
			}
			controlError(w, status, err.Error())
			return
		}
		u, _ := e.User(r.PathValue("userId"))
		writeJSON(w, http.StatusOK, u)
	})
}

func controlError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
