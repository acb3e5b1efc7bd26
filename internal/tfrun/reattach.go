// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package tfrun

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Provider is a provider process the caller starts and terraform attaches to
// (TF_REATTACH_PROVIDERS), rather than one terraform starts and ends itself: every command run
// with Env shares this one process, and its peak memory is read from the kernel when it exits.
type Provider struct {
	cmd *exec.Cmd
	// Reattach is the TF_REATTACH_PROVIDERS value the provider printed.
	Reattach string
}

// StartProvider runs binary in its debug mode (the plugin SDK's managed debug: it prints its
// reattach configuration and serves until interrupted) with env as its environment.
func StartProvider(ctx context.Context, binary string, env []string) (*Provider, error) {
	cmd := exec.Command(binary, "-debug")
	cmd.Env = env
	cmd.Stderr = io.Discard
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &Provider{cmd: cmd}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		sent := false
		for sc.Scan() {
			_, rest, ok := strings.Cut(sc.Text(), "TF_REATTACH_PROVIDERS='")
			if ok && !sent {
				found <- strings.TrimSuffix(rest, "'")
				sent = true
			}
		}
		if !sent {
			close(found)
		}
	}()
	select {
	case r, ok := <-found:
		if ok {
			p.Reattach = r
			return p, nil
		}
	case <-time.After(30 * time.Second):
	case <-ctx.Done():
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	return nil, errors.New("the provider printed no reattach configuration")
}

// Env is the environment entry that makes terraform use this process.
func (p *Provider) Env() string { return "TF_REATTACH_PROVIDERS=" + p.Reattach }

// Stop interrupts the provider, waits for it to end and returns its peak resident set size in
// kB, the kernel's maxrss of the process.
func (p *Provider) Stop() (peakKB int64, err error) {
	_ = p.cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		err = <-done
	}
	if p.cmd.ProcessState == nil {
		return 0, fmt.Errorf("the provider did not end: %w", err)
	}
	ru, ok := p.cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, errors.New("no resource usage for the provider process on this platform")
	}
	// Linux reports maxrss in kB. An interrupted provider may exit non-zero; its usage still counts.
	return ru.Maxrss, nil
}
