// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

// TestAccCrashResume kills terraform (and its provider) with SIGKILL in the middle of an apply
// of 60 closures, then applies again: every user ends closed exactly once, the state holds every
// closure the emulator shows, and the plan after is empty. tools/chaos runs the same with 300.
// Terraform runs as its own process here (not the testing framework's in-process provider) so it
// can really be killed.
func TestAccCrashResume(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	if _, err := tfrun.TerraformPath(); err != nil {
		t.Skipf("terraform is not installed, so there is nothing to kill: %v", err)
	}
	t.Parallel()
	const n = 60
	emu := startEmulator(t)
	users := emu.generatedLeavers(t, n)
	providerDir := builtProvider(t)

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	ws, err := tfrun.NewWorkspace(t.TempDir(), providerDir)
	if err != nil {
		t.Fatal(err)
	}
	config := "terraform {\n  required_providers {\n    docusign = { source = \"opensam/docusign\" }\n  }\n}\n" +
		leaversConfig(emu.providerConfig("max_retries = 20"), testSalesAccount, users)
	if err := ws.Write("main.tf", config); err != nil {
		t.Fatal(err)
	}

	// Slow answers stretch the apply so the kill lands in the middle of it.
	emu.SetFaults(emulator.Faults{LatencyMS: 150})
	closed := func() int {
		c := 0
		for _, id := range users {
			u, _ := emu.User(id)
			for _, m := range u.Memberships {
				if strings.EqualFold(m.AccountID, testSalesAccount) && m.Status == "Closed" {
					c++
				}
			}
		}
		return c
	}
	// Kill early in the apply, with most closures still to come, and only once terraform is idle
	// (see applyAndKill): a kill that lands while terraform rewrites its state file leaves half a
	// file, which no provider can recover from, and would make this test fail by chance.
	hold := func() { emu.SetFaults(emulator.Faults{LatencyMS: int((10 * time.Minute).Milliseconds())}) }
	if err := applyAndKill(ctx, ws, func() bool { c := closed(); return c > 0 && c < n/2 }, hold); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // let the emulator finish calls already in flight
	killedAt := closed()
	t.Logf("killed terraform when %d of %d users were closed", killedAt, n)
	if killedAt == 0 || killedAt >= n {
		t.Fatalf("the kill did not land mid-apply (%d of %d closed)", killedAt, n)
	}

	emu.SetFaults(emulator.Faults{})
	if out, err := ws.Run(ctx, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("the apply after the crash failed: %v\n%s", err, out)
	}
	if err := emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, users...).Verify(); err != nil {
		t.Fatal(err)
	}
	inState, err := ws.ClosedUserIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range users {
		if !inState[strings.ToLower(id)] {
			t.Errorf("user %s is closed in the emulator but not in state", id)
		}
	}
	if len(inState) != n {
		t.Errorf("state holds %d closed users, want %d", len(inState), n)
	}
	out, err := ws.Run(ctx, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	if err != nil {
		t.Fatalf("the plan after the resumed apply is not empty: %v\n%s", err, out)
	}
}

// applyAndKill starts terraform apply in its own process group and, once ready reports true,
// holds every further DocuSign answer (hold), waits until terraform's state file is whole and
// has stopped changing, and SIGKILLs the whole group (terraform and the provider plugin). The
// kill then lands while closes are in flight, as a crash would, but never mid-write of the state.
func applyAndKill(ctx context.Context, ws *tfrun.Workspace, ready func() bool, hold func()) error {
	return killApply(ctx, ws, []string{"-parallelism=4"}, ready, func() error {
		hold()
		return waitForSettledState(ctx, filepath.Join(ws.Dir, "terraform.tfstate"))
	})
}

// killApply starts terraform apply (with extra arguments) in its own process group and, once
// ready reports true and beforeKill (if any) returns, SIGKILLs the group: terraform and the
// provider plugin die together, as in a crash.
func killApply(ctx context.Context, ws *tfrun.Workspace, extra []string, ready func() bool, beforeKill func() error) error {
	cmd := ws.Command(ctx, append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, extra...)...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return fmt.Errorf("terraform apply ended before the kill (err %w):\n%s", err, out.String())
		case <-tick.C:
			if !ready() {
				continue
			}
			var err error
			if beforeKill != nil {
				err = beforeKill()
			}
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done //nolint:errcheck // the kill ends apply with an error, which is the point
			return err
		}
	}
}

// waitForSettledState waits until the state file is valid JSON and unchanged across several
// reads: the closes answered before the hold have been written, and no other write is coming.
func waitForSettledState(ctx context.Context, path string) error {
	var last []byte
	stable := 0
	for stable < 5 {
		select {
		case <-ctx.Done():
			return fmt.Errorf("terraform's state file %s never settled: %w", path, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
		data, err := os.ReadFile(path)
		if err != nil || !json.Valid(data) || !bytes.Equal(data, last) {
			last, stable = data, 0
			continue
		}
		stable++
	}
	return nil
}
