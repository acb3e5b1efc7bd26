package docusign

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
)

// CloseOrganizationMemberships closes the user's memberships in accountIDs through the Admin API
// and returns the accounts where the membership is not confirmed closed. An account the answer
// confirms costs nothing more; for accounts it leaves unconfirmed (see
// admin.CloseMembershipsResult), one read of the user's memberships settles it, so a close is
// reported done only when DocuSign says so.
func (c *Client) CloseOrganizationMemberships(ctx context.Context, orgID, userID string, accountIDs []string) ([]admin.MembershipError, error) {
	res, err := c.Admin.CloseMemberships(ctx, orgID, userID, accountIDs)
	if err != nil {
		return nil, err
	}
	failed := res.Failed
	if len(res.Unconfirmed) == 0 {
		return failed, nil
	}
	profile, err := c.Admin.ProfileByID(ctx, orgID, userID)
	if err != nil {
		return nil, fmt.Errorf("DocuSign's answer to closing user %s did not confirm accounts %s, and reading the user's memberships to check failed: %w",
			userID, strings.Join(res.Unconfirmed, ", "), err)
	}
	status := map[string]string{}
	for _, ms := range profile.Memberships {
		status[strings.ToLower(ms.AccountID)] = ms.Status
	}
	for _, id := range res.Unconfirmed {
		s, member := status[strings.ToLower(id)]
		switch {
		case !member:
			failed = append(failed, admin.MembershipError{AccountID: id, Code: "not_confirmed",
				Description: "DocuSign's answer did not confirm the close, and the user has no membership in this account"})
		case !strings.EqualFold(s, "closed"):
			failed = append(failed, admin.MembershipError{AccountID: id, Code: "not_confirmed",
				Description: "DocuSign's answer did not confirm the close, and the membership's status is still " + strconv.Quote(s)})
		}
	}
	return failed, nil
}
