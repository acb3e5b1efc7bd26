// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"errors"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

// The leaver operations: each is one client call for the provider, and says what went wrong with
// a typed error rather than text.

func TestCloseUserByEmailClosesAndKeepsTheDirectoryTrue(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv)
	ctx := context.Background()
	alex := userID(t, srv, "alex.leaver@opensam.example")
	// Load the account's closed-user listing first, so the close has a listing to keep true.
	if closed, err := c.IsUserClosed(ctx, testSales, alex); err != nil || closed {
		t.Fatalf("before: closed %v, %v", closed, err)
	}
	user, err := c.CloseUser(ctx, testSales, UserRef{Email: "ALEX.LEAVER@opensam.example"})
	if err != nil {
		t.Fatal(err)
	}
	if user.UserID != alex || !user.IsClosed() {
		t.Errorf("CloseUser = %+v, want alex closed", user)
	}
	if s, _ := status(t, srv, alex, testSales); s != "Closed" {
		t.Errorf("the emulator holds alex as %s", s)
	}
	before := srv.Stats().Requests["GET /restapi/v2.1/accounts/{accountId}/users"]
	if closed, err := c.IsUserClosed(ctx, testSales, alex); err != nil || !closed {
		t.Errorf("after: closed %v, %v; want the directory to know", closed, err)
	}
	if after := srv.Stats().Requests["GET /restapi/v2.1/accounts/{accountId}/users"]; after != before {
		t.Errorf("reading alex's closure cost %d more listings, want none", after-before)
	}
}

func TestCloseUserRefusesTheImpersonatedUser(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv)
	for _, who := range []UserRef{{ID: testAdmin}, {Email: "admin@opensam.example"}} {
		_, err := c.CloseUser(context.Background(), testSales, who)
		var self *ImpersonatedUserError
		if !errors.As(err, &self) || self.UserID != testAdmin || self.Email != who.Email {
			t.Errorf("CloseUser(%+v) = %v, want an ImpersonatedUserError for %s", who, err, testAdmin)
		}
	}
	if s, _ := status(t, srv, testAdmin, testSales); s != "Active" {
		t.Errorf("the impersonated user is %s", s)
	}
	if n := srv.Stats().Requests["DELETE /restapi/v2.1/accounts/{accountId}/users"]; n != 0 {
		t.Errorf("%d close calls, want none", n)
	}
}

func TestCloseUserNotFoundIsOneError(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv)
	ctx := context.Background()
	if _, err := c.CloseUser(ctx, testSales, UserRef{ID: "00000000-0000-4000-8000-00000000dead"}); !errors.Is(err, ErrUserNotFound) {
		t.Errorf("unknown ID: err = %v, want ErrUserNotFound", err)
	}
	if _, err := c.CloseUser(ctx, testSales, UserRef{Email: "nobody@opensam.example"}); !errors.Is(err, ErrUserNotFound) {
		t.Errorf("unknown email: err = %v, want ErrUserNotFound", err)
	}
	_, err := c.CloseUser(ctx, testLegal, UserRef{Email: "shared.inbox@opensam.example"})
	var ambiguous *AmbiguousEmailError
	if !errors.As(err, &ambiguous) || len(ambiguous.UserIDs) != 2 || ambiguous.AccountID != testLegal {
		t.Errorf("shared email: err = %v, want an AmbiguousEmailError naming both users", err)
	}
}

func TestReopenUserReopensWhatWasClosed(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv)
	ctx := context.Background()
	alex := userID(t, srv, "alex.leaver@opensam.example")
	if _, err := c.CloseUser(ctx, testSales, UserRef{ID: alex}); err != nil {
		t.Fatal(err)
	}
	if err := c.ReopenUser(ctx, testSales, UserRef{ID: alex}); err != nil {
		t.Fatal(err)
	}
	if s, _ := status(t, srv, alex, testSales); s != "Active" {
		t.Errorf("the emulator holds alex as %s after the reopen", s)
	}
	if closed, err := c.IsUserClosed(ctx, testSales, alex); err != nil || closed {
		t.Errorf("the directory still says closed %v, %v", closed, err)
	}
	// A user who is gone has nothing to reopen.
	if err := c.ReopenUser(ctx, testSales, UserRef{ID: "00000000-0000-4000-8000-00000000dead"}); err != nil {
		t.Errorf("reopening a user who is gone: %v", err)
	}
}

func TestCreateUserThatExistsNamesTheUser(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv)
	alex := userID(t, srv, "alex.leaver@opensam.example")
	_, err := c.CreateUser(context.Background(), testSales, esign.NewUser{UserName: "Alex Again", Email: "alex.leaver@opensam.example"})
	var exists *UserExistsError
	if !errors.As(err, &exists) || exists.UserID != alex || exists.AccountID != testSales {
		t.Fatalf("err = %v, want a UserExistsError naming %s", err, alex)
	}
}
