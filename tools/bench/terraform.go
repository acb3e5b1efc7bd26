// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

func (b *bench) workspace(name string) (*tfrun.Workspace, error) {
	return tfrun.NewWorkspace(filepath.Join(b.work, name), b.pluginDir)
}

func providerBlock(e *env, accountID string) string {
	return demoorg.ProviderConfig(e.srv.OAuthBaseURL, e.srv.AdminBaseURL, fmt.Sprintf("account_id       = %q", accountID))
}

// tfResult is one terraform command's measurements.
type tfResult struct {
	output    string
	wall      time.Duration
	cpu       time.Duration // user+system time of terraform and the provider processes it reaped
	processes int           // provider processes terraform started
	peakRSSKB int64         // largest VmHWM among them
}

// terraform runs one terraform command while watching the provider processes it starts.
func (b *bench) terraform(ctx context.Context, ws *tfrun.Workspace, args ...string) (tfResult, error) {
	_ = os.Remove(b.pidFile)
	stop := make(chan struct{})
	watched := make(chan map[int]int64)
	go watchProviders(b.pidFile, stop, watched)
	args = append(args, "-no-color", "-input=false")
	var out bytes.Buffer
	cmd := ws.Command(ctx, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	t0 := time.Now()
	err := cmd.Run()
	wall := time.Since(t0)
	close(stop)
	peaks := <-watched
	res := tfResult{output: out.String(), wall: wall, processes: len(peaks)}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			res.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	for _, kb := range peaks {
		res.peakRSSKB = max(res.peakRSSKB, kb)
	}
	if *flagVerbose {
		fmt.Fprintf(os.Stderr, "--- terraform %s (%s wall, %s CPU, %d provider processes)\n%s\n", strings.Join(args, " "),
			secs(wall), secs(res.cpu), res.processes, tfrun.Tail(res.output, 1500))
	}
	if err != nil {
		return res, fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), err, tfrun.Tail(res.output, 4000))
	}
	return res, nil
}

// watchProviders polls the PID file the wrapper writes and each provider's peak RSS until stop,
// then reports every PID seen with the last VmHWM read (VmHWM only grows).
func watchProviders(pidFile string, stop <-chan struct{}, out chan<- map[int]int64) {
	peaks := map[int]int64{}
	poll := func() {
		data, _ := os.ReadFile(pidFile)
		for _, line := range strings.Fields(string(data)) {
			pid, err := strconv.Atoi(line)
			if err != nil {
				continue
			}
			if _, ok := peaks[pid]; !ok {
				peaks[pid] = 0
			}
			if kb, ok := vmHWM(pid); ok && kb > peaks[pid] {
				peaks[pid] = kb
			}
		}
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			poll()
			out <- peaks
			return
		case <-tick.C:
			poll()
		}
	}
}

// vmHWM reads a process's peak resident set size in kB.
func vmHWM(pid int) (int64, bool) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb, err == nil
		}
	}
	return 0, false
}

// rpcSpans finds an RPC in the provider's log (terraform-plugin-go's "Received request" and
// "Served request" lines) and returns the longest one of that name, with the part of it spent in
// the provider's own handler (the framework's "Calling/Called provider defined … Read" lines,
// zero when the framework's logs are off).
func rpcSpans(logFile, rpc string) (total, handler time.Duration, err error) {
	f, err := os.Open(logFile)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	type span struct{ received, calling, called, served time.Time }
	spans := map[string]*span{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.Contains(line, []byte(rpc)) {
			continue
		}
		var entry struct {
			Message   string `json:"@message"`
			Timestamp string `json:"@timestamp"`
			RPC       string `json:"tf_rpc"`
			ReqID     string `json:"tf_req_id"`
		}
		if json.Unmarshal(line, &entry) != nil || entry.RPC != rpc {
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, entry.Timestamp)
		if err != nil {
			continue
		}
		sp := spans[entry.ReqID]
		if sp == nil {
			sp = &span{}
			spans[entry.ReqID] = sp
		}
		switch {
		case entry.Message == "Received request":
			sp.received = at
		case entry.Message == "Served request":
			sp.served = at
		case strings.HasPrefix(entry.Message, "Calling provider defined") && strings.HasSuffix(entry.Message, " Read"):
			sp.calling = at
		case strings.HasPrefix(entry.Message, "Called provider defined") && strings.HasSuffix(entry.Message, " Read"):
			sp.called = at
		}
	}
	found := false
	for _, sp := range spans {
		if sp.received.IsZero() || sp.served.IsZero() {
			continue
		}
		if d := sp.served.Sub(sp.received); d > total {
			total, found = d, true
			handler = 0
			if !sp.calling.IsZero() && !sp.called.IsZero() {
				handler = sp.called.Sub(sp.calling)
			}
		}
	}
	if !found {
		return 0, 0, fmt.Errorf("no %s request in the provider log", rpc)
	}
	return total, handler, sc.Err()
}
