// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package contract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The OpenAPI files come with the repository, so a fresh clone finds them without any setting.
func TestDefaultDirIsTheVendoredCopy(t *testing.T) {
	t.Setenv(OpenAPIDirEnv, "")
	dir := DefaultDir()
	if !strings.HasSuffix(filepath.ToSlash(dir), "/testdata/openapi") {
		t.Fatalf("DefaultDir() = %s, want the repository's testdata/openapi", dir)
	}
	for _, f := range specFiles {
		if _, err := os.Stat(filepath.Join(dir, f.file)); err != nil {
			t.Errorf("vendored %s: %v", f.file, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "LICENSE")); err != nil {
		t.Errorf("the vendored files need DocuSign's licence beside them: %v", err)
	}
}

func TestDefaultDirHonoursTheEnvironment(t *testing.T) {
	other := t.TempDir()
	t.Setenv(OpenAPIDirEnv, other)
	if got := DefaultDir(); got != other {
		t.Fatalf("DefaultDir() = %s, want %s from %s", got, other, OpenAPIDirEnv)
	}
}

// A directory without the files says which variable to set.
func TestLoadOfAnEmptyDirectoryNamesTheVariable(t *testing.T) {
	_, err := Load(t.TempDir())
	if err == nil {
		t.Fatal("Load of an empty directory succeeded")
	}
	for _, want := range []string{OpenAPIDirEnv, "testdata/openapi", ".json"} {
		if !strings.Contains(filepath.ToSlash(err.Error()), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}
