package provider

import "strings"

// splitImportID splits "a/b…" into n parts; the last part keeps any further slashes.
func splitImportID(id string, n int) ([]string, bool) {
	parts := strings.SplitN(id, "/", n)
	if len(parts) != n {
		return nil, false
	}
	for _, p := range parts {
		if p == "" {
			return nil, false
		}
	}
	return parts, true
}
