// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
)

// Progress hears what a bulk job is doing: stage is "queued", "processing", "completed",
// "downloaded" or "retrying", with details such as the job ID or the number of rows. The provider
// turns it into DEBUG log lines.
type Progress func(stage string, fields map[string]any)

func (p Progress) say(stage string, fields map[string]any) {
	if p != nil {
		p(stage, fields)
	}
}

// Poll intervals of bulk jobs: the first status check comes soon (small exports finish in a
// second or two), later ones back off so a long job costs few calls.
var (
	JobFirstPoll = 300 * time.Millisecond
	JobMaxPoll   = 10 * time.Second
)

// ErrExportFailed means DocuSign ended an export as failed.
var ErrExportFailed = errors.New("DocuSign could not complete the user-list export")

// ErrExportExpired means an export's result file could no longer be downloaded.
var ErrExportExpired = errors.New("the export's result file expired before it could be downloaded")

// waitJob polls status until the job finishes or ctx ends, reporting each change of status.
func waitJob(ctx context.Context, kind, id string, progress Progress, status func(context.Context) (string, error)) (string, error) {
	wait := JobFirstPoll
	last := "queued"
	started := time.Now()
	for {
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("%s %s was still %s after %s: %w", kind, id, strings.ReplaceAll(last, "_", " "), time.Since(started).Round(time.Second), ctx.Err())
		case <-time.After(wait):
		}
		s, err := status(ctx)
		if err != nil {
			return "", err
		}
		s = admin.JobState(s)
		if s != last {
			stage := s
			if s == admin.ImportInProcess {
				stage = "processing"
			}
			progress.say(stage, map[string]any{"job": kind, "id": id, "waited": time.Since(started).Round(time.Millisecond).String()})
			last = s
		}
		if admin.JobFinished(s) {
			return s, nil
		}
		wait = min(wait*2, JobMaxPoll)
	}
}

// administeredOrganizationOf returns the organization holding accountID among those the
// impersonated user administers.
func (c *Client) administeredOrganizationOf(ctx context.Context, accountID string) (string, error) {
	orgs, err := c.Admin.ListOrganizations(ctx)
	if err != nil {
		return "", err
	}
	for _, o := range orgs {
		for _, a := range o.Accounts {
			if strings.EqualFold(a.ID, accountID) {
				return o.ID, nil
			}
		}
	}
	return "", fmt.Errorf("account %s is in no organization the impersonated user administers", accountID)
}
