// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Package tfrun drives the real terraform CLI against a locally built provider, for the scripted
// runs the benchmarks, the chaos run and the crash test need: terraform as users run it, in its
// own process, with the provider found through dev_overrides so no registry is ever contacted.
package tfrun

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// ProviderAddress is the provider's registry address, the key of the dev override.
const ProviderAddress = "registry.terraform.io/opensam/docusign"

// RepoRoot is the directory holding go.mod.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// TerraformPath is TF_ACC_TERRAFORM_PATH when set, else terraform on PATH.
func TerraformPath() (string, error) {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p, nil
	}
	return exec.LookPath("terraform")
}

// BuildProvider compiles the provider into dir and returns dir.
func BuildProvider(ctx context.Context, dir string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, "terraform-provider-docusign"), ".")
	cmd.Dir = RepoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the provider: %w\n%s", err, out)
	}
	return dir, nil
}

// Workspace is one terraform working directory with its own CLI configuration.
type Workspace struct {
	Dir       string
	Terraform string
	Env       []string
}

// NewWorkspace prepares dir for terraform runs against the provider binary in providerDir.
func NewWorkspace(dir, providerDir string) (*Workspace, error) {
	tf, err := TerraformPath()
	if err != nil {
		return nil, fmt.Errorf("terraform not found: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	rc := filepath.Join(dir, ".terraformrc")
	config := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", ProviderAddress, providerDir)
	if err := os.WriteFile(rc, []byte(config), 0o600); err != nil {
		return nil, err
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	return &Workspace{Dir: dir, Terraform: tf, Env: env}, nil
}

// Write puts a file into the workspace.
func (w *Workspace) Write(name, content string) error {
	return os.WriteFile(filepath.Join(w.Dir, name), []byte(content), 0o644)
}

// Command is terraform with args in the workspace, not yet started.
func (w *Workspace) Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, w.Terraform, args...)
	cmd.Dir = w.Dir
	cmd.Env = w.Env
	return cmd
}

// Run runs terraform with args and returns its combined output.
func (w *Workspace) Run(ctx context.Context, args ...string) (string, error) {
	var out bytes.Buffer
	cmd := w.Command(ctx, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil {
		return out.String(), fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), err, Tail(out.String(), 4000))
	}
	return out.String(), nil
}

// Tail is the last n bytes of terraform output, where its errors are.
func Tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// ClosedUserIDs reads the workspace's state with `terraform show -json` and returns the user IDs
// (lower case) of its docusign_closed_user resources; no state yet means none.
func (w *Workspace) ClosedUserIDs(ctx context.Context) (map[string]bool, error) {
	ids := map[string]bool{}
	statePath := filepath.Join(w.Dir, "terraform.tfstate")
	if _, err := os.Stat(statePath); errors.Is(err, os.ErrNotExist) {
		return ids, nil
	}
	out, err := w.Command(ctx, "show", "-json", statePath).Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return nil, fmt.Errorf("terraform show: %w\n%s", err, exitErr.Stderr)
		}
		return nil, err
	}
	var doc struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Type   string         `json:"type"`
					Values map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		return nil, err
	}
	for _, r := range doc.Values.RootModule.Resources {
		if r.Type == "docusign_closed_user" {
			id, _ := r.Values["user_id"].(string)
			ids[strings.ToLower(id)] = true
		}
	}
	return ids, nil
}
