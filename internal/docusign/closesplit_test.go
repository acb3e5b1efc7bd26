// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

const unknownUser = "00000000-0000-4000-8000-00000000dead"

// fixtureWithWave is the demo organization plus n active users in the sales account.
func fixtureWithWave(t *testing.T, n int) (*emulator.Fixture, []string) {
	t.Helper()
	fixture, err := emulator.LoadFixture(testdata("emulator", "demo-org.json"))
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		fixture.Users = append(fixture.Users, emulator.User{
			ID: ids[i], Email: fmt.Sprintf("wave%d@opensam.example", i), UserName: "Wave",
			Memberships: []emulator.Membership{{AccountID: testSales, Status: "Active"}},
		})
	}
	return fixture, ids
}

// Under both readings of DocuSign's batch close (one bad user fails only its entry, or fails the
// whole call), every valid user of a batch is closed exactly once and the bad one alone fails,
// as "not found".
func TestBatchWithOneUnknownUserClosesTheRest(t *testing.T) {
	for _, strict := range []bool{false, true} {
		t.Run(fmt.Sprintf("all_or_nothing=%v", strict), func(t *testing.T) {
			t.Run("CloseMany", func(t *testing.T) {
				fixture, ids := fixtureWithWave(t, 9)
				srv := startEmulator(t, fixture, emulator.Options{})
				srv.SetBehaviour(emulator.Behaviour{BatchCloseAllOrNothing: strict})
				c := newClient(t, srv)
				list := append(append(append([]string(nil), ids[:4]...), unknownUser), ids[4:]...)
				results, err := c.CloseMany(context.Background(), testSales, list)
				if err != nil {
					t.Fatal(err)
				}
				checkOneBad(t, srv, list, results)
			})
			t.Run("Closer", func(t *testing.T) {
				fixture, ids := fixtureWithWave(t, 9)
				srv := startEmulator(t, fixture, emulator.Options{})
				srv.SetBehaviour(emulator.Behaviour{BatchCloseAllOrNothing: strict})
				c := newClient(t, srv)
				list := append(append([]string(nil), ids...), unknownUser)
				results := make([]esign.CloseResult, len(list))
				var wg sync.WaitGroup
				for i, id := range list {
					wg.Add(1)
					go func() {
						defer wg.Done()
						res, err := c.closer.Close(context.Background(), testSales, id)
						if err != nil {
							res = esign.CloseResult{UserID: id, Err: err}
						}
						results[i] = res
					}()
				}
				wg.Wait()
				checkOneBad(t, srv, list, results)
				if calls := srv.Stats().Requests["DELETE /restapi/v2.1/accounts/{accountId}/users"]; calls > 2*len(list) {
					t.Errorf("%d DELETE calls for %d closes", calls, len(list))
				}
			})
		})
	}
}

func checkOneBad(t *testing.T, srv *emulator.Server, list []string, results []esign.CloseResult) {
	t.Helper()
	if len(results) != len(list) {
		t.Fatalf("%d results for %d users", len(results), len(list))
	}
	for i, id := range list {
		r := results[i]
		if id == unknownUser {
			if !errors.Is(r.Err, esign.ErrUserNotFound) {
				t.Errorf("the unknown user's result: %+v, want a not-found error", r)
			}
			continue
		}
		if r.Err != nil {
			t.Errorf("valid user %s failed: %v", id, r.Err)
		}
		if s, closures := status(t, srv, id, testSales); s != "Closed" || closures != 1 {
			t.Errorf("valid user %s is %s after %d closures, want Closed after 1", id, s, closures)
		}
	}
}
