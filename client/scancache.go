package client

import (
	"encoding/json"
	"os"
	"path/filepath"
	"time"
)

// ScanCache keeps, between runs, what a CallbackScan learned of each machine's
// definition: whether it can wait on a token (and, for those that can, the definition
// itself). Describing every machine of a large account takes a while under the request
// budget (500 machines: about 40 s at the default budget); with the cache a scan opened
// again within MaxAge describes only the machines it has not seen, and shows the
// waiting tokens within seconds. r on the callbacks screen reads everything again.
type ScanCache struct {
	Path   string        // a JSON file, one per account and region or endpoint
	MaxAge time.Duration // entries older than this are read again (default 24 h)
}

type cachedMachine struct {
	CanWait    bool      `json:"canWait"`
	Revision   string    `json:"revision,omitempty"`
	Definition string    `json:"definition,omitempty"` // only for machines that can wait
	Read       time.Time `json:"read"`
}

// DefaultScanCache is the cache file for a location, under the user's cache directory
// ($XDG_CACHE_HOME/stepdeck); nil when there is no cache directory.
func DefaultScanCache(where Location) *ScanCache {
	dir, err := os.UserCacheDir()
	if err != nil {
		return nil
	}
	key := where.String()
	name := make([]byte, 0, len(key))
	for _, c := range []byte(key) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '.':
			name = append(name, c)
		default:
			name = append(name, '_')
		}
	}
	return &ScanCache{Path: filepath.Join(dir, "stepdeck", "callbacks-"+string(name)+".json")}
}

func (c *ScanCache) maxAge() time.Duration {
	if c.MaxAge <= 0 {
		return 24 * time.Hour
	}
	return c.MaxAge
}

// load reads the cache; a missing or unreadable file is an empty cache (it is only a
// shortcut: the scan reads what it lacks).
func (c *ScanCache) load(now time.Time) map[string]cachedMachine {
	out := map[string]cachedMachine{}
	b, err := os.ReadFile(c.Path)
	if err != nil {
		return out
	}
	var all map[string]cachedMachine
	if json.Unmarshal(b, &all) != nil {
		return out
	}
	for arn, m := range all {
		if now.Sub(m.Read) < c.maxAge() && (!m.CanWait || m.Definition != "") {
			out[arn] = m
		}
	}
	return out
}

// save writes the cache whole, through a temporary file so that a crash leaves the old
// one.
func (c *ScanCache) save(all map[string]cachedMachine) error {
	b, err := json.Marshal(all)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.Path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.Path), ".callbacks-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), c.Path)
}
