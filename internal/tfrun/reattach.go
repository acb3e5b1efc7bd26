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
	"strconv"
	"strings"
	"time"
)

// Provider is a provider process the caller starts and terraform attaches to
// (TF_REATTACH_PROVIDERS), rather than one terraform starts and ends itself: every command run
// with Env shares this one process, and its peak memory can be read before it ends.
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

// Stop reads the provider's peak resident set size in kB, then interrupts it and waits for it
// to end. The peak is the kernel's VmHWM of the process, read while it still runs. Not the
// maxrss that wait4 reports: Go starts a child with vfork, so the child's maxrss starts from
// the parent's resident set (a bench holding a 300,000-membership emulator would add 600 MB).
func (p *Provider) Stop() (peakKB int64, err error) {
	peakKB, err = VmHWM(p.cmd.Process.Pid)
	_ = p.cmd.Process.Signal(os.Interrupt)
	// An interrupted provider may exit non-zero; that says nothing about the run.
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
	return peakKB, err
}

// VmHWM reads a running process's peak resident set size in kB from /proc (Linux).
func VmHWM(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("reading the provider's peak memory: %w", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}
