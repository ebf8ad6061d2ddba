package choice

import (
	"testing"
	"time"
)

func TestParseTimestamp(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	good := map[string]time.Time{
		"2016-03-14T01:59:00Z":             utc("2016-03-14T01:59:00Z"),
		"2016-03-14T01:59:00.5Z":           utc("2016-03-14T01:59:00.5Z"),
		"2016-03-14T01:59:00.123456789Z":   utc("2016-03-14T01:59:00.123456789Z"),
		"2016-03-14T01:59:00.1234567891Z":  utc("2016-03-14T01:59:00.123456789Z"),
		"2016-03-14T02:59:00+01:00":        utc("2016-03-14T01:59:00Z"),
		"2016-03-13T23:29:00-02:30":        utc("2016-03-14T01:59:00Z"),
		"2020-02-29T00:00:00Z":             utc("2020-02-29T00:00:00Z"),
		"2000-02-29T23:59:59Z":             utc("2000-02-29T23:59:59Z"),
		"0001-01-01T00:00:00Z":             utc("0001-01-01T00:00:00Z"),
		"2012-10-09T19:00:55.000000+00:00": utc("2012-10-09T19:00:55Z"),
	}
	for s, want := range good {
		got, ok := parseTimestamp(s)
		if !ok || !got.Equal(want) {
			t.Errorf("parseTimestamp(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	bad := []string{
		"", "2016-03-14", "2016-03-14T01:59:00", "2016-03-14t01:59:00Z", "2016-03-14T01:59:00z",
		"2016-03-14 01:59:00Z", "2016-03-14T01:59Z", "2016-03-14T01:59:00.Z", "2016-03-14T01:59:00+0100",
		"2016-03-14T01:59:00+01", "2016-13-14T01:59:00Z", "2016-00-14T01:59:00Z", "2016-02-30T01:59:00Z",
		"2019-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2016-03-14T24:00:00Z", "2016-03-14T01:60:00Z",
		"2016-03-14T01:59:60Z", "2016-03-14T01:59:00+24:00", "2016-03-14T01:59:00+01:60", "2016-03-14T01:59:00ZZ",
		"+2016-03-14T01:59:00Z", "20160-03-14T01:59:00Z", "2016-3-14T01:59:00Z", "２016-03-14T01:59:00Z",
		"2016-03-14T01:59:00.1.2Z", "2016-03-14T01:59:00 Z", "2023-02-24 12:15:56.832957",
	}
	for _, s := range bad {
		if got, ok := parseTimestamp(s); ok {
			t.Errorf("parseTimestamp(%q) = %v, want rejection", s, got)
		}
	}
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2016-03-14T01:59:00Z", "2016-03-14T01:59:00.5+01:00", "2016-03-14T01:59:00.Z", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseTimestamp(s)
		if !ok {
			return
		}
		// Whatever we accept, Go's own RFC 3339 reader must accept as the same
		// instant (it is laxer, never stricter, on everything we allow).
		want, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatalf("accepted %q, which time.Parse rejects: %v", s, err)
		}
		if !got.Equal(want) {
			t.Fatalf("%q: got %v, time.Parse says %v", s, got, want)
		}
	})
}
