// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
)

// Steps of CreateAccountUser and UpdateAccountUser.
const (
	StepFindAccount           Step = "determine the account"
	StepFindPermissionProfile Step = "resolve the permission profile"
	StepCreate                Step = "add the user to the account"
	StepUpdate                Step = "update the user"
	StepReadBack              Step = "read the user back"
)

// createdUserTolerance is how far DocuSign's clock may run behind ours before a user created by
// a call looks older than the call (and so is taken for one who existed before, the safe side:
// such a user is not closed on their account's say-so).
const createdUserTolerance = 5 * time.Minute

// NewAccountUser is a person to add to an account.
type NewAccountUser struct {
	// AccountID is the account to add them to; empty means the client's default account.
	AccountID                            string
	Email, UserName, FirstName, LastName string
	// PermissionProfileName is resolved to the account's own profile ID (IDs differ per
	// account); without it PermissionProfileID is used as given. With neither, DocuSign assigns
	// the account's default profile.
	PermissionProfileName, PermissionProfileID string
}

// AddedAccountUser is what CreateAccountUser did. The membership exists whatever ReadBackErr and
// RenameErr say: they are warnings about the work after the create.
type AddedAccountUser struct {
	AccountID string
	// User is the membership as DocuSign holds it after the call; when the read-back failed, as
	// DocuSign's create answer and the request give it.
	User *esign.User
	// CreatedUser is true when DocuSign made a new user during this call, false when the email
	// already belonged to a DocuSign user who was only added to the account, or when DocuSign
	// gave no usable creation date.
	CreatedUser bool
	// ReadBackErr is a failed read of the user after the create.
	ReadBackErr error
	// RenameErr is a failed attempt to give a user who already existed, and kept their own
	// names, the names asked for.
	RenameErr error
}

// CreateAccountUser adds u to their account: it resolves the account and the permission profile,
// creates the membership once (see CreateUser), reads it back, and gives a user who already
// existed in DocuSign, and so kept their own names, the names asked for. Errors are *StepError
// (StepFindAccount, StepFindPermissionProfile, StepCreate); a create refused because the account
// already has an open membership for the email wraps a *UserExistsError.
func (c *Client) CreateAccountUser(ctx context.Context, u NewAccountUser) (*AddedAccountUser, error) {
	accountID, err := c.AccountID(ctx, u.AccountID)
	if err != nil {
		return nil, &StepError{Step: StepFindAccount, Err: err}
	}
	profileID, err := c.profileID(ctx, accountID, u.PermissionProfileName, u.PermissionProfileID)
	if err != nil {
		return nil, &StepError{Step: StepFindPermissionProfile, AccountID: accountID, Err: err}
	}
	request := esign.NewUser{UserName: u.UserName, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, PermissionProfileID: profileID}
	started := time.Now()
	created, err := c.CreateUser(ctx, accountID, request)
	if err != nil {
		return nil, &StepError{Step: StepCreate, AccountID: accountID, Err: err}
	}

	// From here on the membership exists: what fails is reported with it, never instead of it.
	added := &AddedAccountUser{AccountID: accountID}
	added.User, added.ReadBackErr = c.AccountUser(ctx, accountID, created.UserID, u.Email)
	if added.ReadBackErr != nil {
		// DocuSign's create answer leaves the name parts out; they are what was sent.
		fromAnswer := *created
		fromAnswer.FirstName, fromAnswer.LastName = request.FirstName, request.LastName
		added.User = &fromAnswer
	} else if rename := namesToUpdate(u, added.User); rename != (esign.UserUpdate{}) {
		// DocuSign keeps an existing user's own names; make them what was asked for.
		if _, err := c.ESign.UpdateUser(ctx, accountID, created.UserID, rename); err != nil {
			added.RenameErr = err
		} else {
			applyNames(added.User, rename)
		}
	}
	added.CreatedUser = createdDuring(started, created, added.User)
	return added, nil
}

// UserChanges are the details of an account's user to change; empty fields stay as they are.
// PermissionProfileName is resolved to the account's own profile ID; without it
// PermissionProfileID is used as given.
type UserChanges struct {
	UserName, FirstName, LastName              string
	PermissionProfileName, PermissionProfileID string
}

// UpdateAccountUser changes userID's details in accountID and returns the user as DocuSign then
// holds them; email, when known, makes the read-back one call (see AccountUser). Errors are
// *StepError: StepFindPermissionProfile, StepUpdate, or StepReadBack (the change was made).
func (c *Client) UpdateAccountUser(ctx context.Context, accountID, userID, email string, changes UserChanges) (*esign.User, error) {
	profileID, err := c.profileID(ctx, accountID, changes.PermissionProfileName, changes.PermissionProfileID)
	if err != nil {
		return nil, &StepError{Step: StepFindPermissionProfile, AccountID: accountID, UserID: userID, Err: err}
	}
	update := esign.UserUpdate{UserName: changes.UserName, FirstName: changes.FirstName, LastName: changes.LastName, PermissionProfileID: profileID}
	if _, err := c.ESign.UpdateUser(ctx, accountID, userID, update); err != nil {
		return nil, &StepError{Step: StepUpdate, AccountID: accountID, UserID: userID, Err: err}
	}
	user, err := c.AccountUser(ctx, accountID, userID, email)
	if err != nil {
		return nil, &StepError{Step: StepReadBack, AccountID: accountID, UserID: userID, Err: err}
	}
	return user, nil
}

// profileID is the account's ID for the profile named, else id; "" leaves DocuSign's choice.
func (c *Client) profileID(ctx context.Context, accountID, name, id string) (string, error) {
	if name == "" {
		return id, nil
	}
	profile, err := c.PermissionProfileByName(ctx, accountID, name)
	if err != nil {
		return "", err
	}
	return profile.ID, nil
}

// createdDuring tells a user a call created from one who existed before: DocuSign reports when
// the user was created (createdDateTime), which for an existing person is their original date,
// not when they joined this account. The first answer with a usable date decides; with none the
// answer is "existed before", the side on which nobody is closed by mistake.
func createdDuring(started time.Time, answers ...*esign.User) bool {
	for _, u := range answers {
		if u == nil || u.CreatedDateTime == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, u.CreatedDateTime)
		if err != nil || t.Year() < 2000 { // DocuSign writes 0001-01-01 for dates it does not know
			continue
		}
		return !t.Before(started.Add(-createdUserTolerance))
	}
	return false
}

// namesToUpdate lists the names asked for that DocuSign holds differently.
func namesToUpdate(want NewAccountUser, u *esign.User) esign.UserUpdate {
	var update esign.UserUpdate
	if want.UserName != u.UserName {
		update.UserName = want.UserName
	}
	if want.FirstName != "" && want.FirstName != u.FirstName {
		update.FirstName = want.FirstName
	}
	if want.LastName != "" && want.LastName != u.LastName {
		update.LastName = want.LastName
	}
	return update
}

func applyNames(u *esign.User, update esign.UserUpdate) {
	if update.UserName != "" {
		u.UserName = update.UserName
	}
	if update.FirstName != "" {
		u.FirstName = update.FirstName
	}
	if update.LastName != "" {
		u.LastName = update.LastName
	}
}
