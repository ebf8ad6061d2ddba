package localtask

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func getObject(t *testing.T, h engine.Handler, key string) (value.Value, error) {
	t.Helper()
	return h(context.Background(), &engine.TaskCall{Resource: "arn:aws:states:::s3:getObject",
		Input: value.ObjectOf("Bucket", "orders", "Key", key)})
}

// TestFilesHandlerStaysInItsFolder: the handler the handlers file's "files" entry runs
// reads keys under its folder and nothing outside it, whatever the key.
func TestFilesHandlerStaysInItsFolder(t *testing.T) {
	base := t.TempDir()
	data := filepath.Join(base, "data")
	if err := os.MkdirAll(filepath.Join(data, "2026"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "2026", "orders.csv"), []byte("id,qty\n7,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(base, "secret.txt")
	if err := os.WriteFile(secret, []byte("do not serve"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(data, "link")); err != nil {
		t.Fatal(err)
	}
	c, err := ParseCommands([]byte(`{"handlers":[{"resource":"arn:aws:states:::s3:getObject","files":"data"}]}`), base)
	if err != nil {
		t.Fatal(err)
	}
	if c.Specs[0].Files != data {
		t.Fatalf("files folder %q, want %q", c.Specs[0].Files, data)
	}
	h := c.Specs[0].Handler()
	out, err := getObject(t, h, "2026/orders.csv")
	if err != nil || out != "id,qty\n7,2\n" {
		t.Fatalf("reading a key: %v, %v", out, err)
	}
	for _, key := range []string{"../secret.txt", "../../../../../etc/passwd", "2026/../../secret.txt", secret, "/etc/passwd", "link", "missing.csv", "2026"} {
		out, err := getObject(t, h, key)
		var fe *failure.Error
		if !errors.As(err, &fe) || fe.Name != "S3.NoSuchKeyException" {
			t.Errorf("key %q: %v, %v; want S3.NoSuchKeyException", key, out, err)
		}
		if s, _ := out.(string); strings.Contains(s, "do not serve") || strings.Contains(s, "root:") {
			t.Errorf("key %q read outside the folder: %q", key, s)
		}
	}
}

func TestFilesEntryIsChecked(t *testing.T) {
	for src, want := range map[string]string{
		`{"handlers":[{"resource":"arn:aws:states:::lambda:invoke","files":"data"}]}`:                     "not an s3:getObject resource",
		`{"handlers":[{"resource":"arn:aws:states:::s3:getObject","files":""}]}`:                          "must be a folder path",
		`{"handlers":[{"resource":"arn:aws:states:::s3:getObject","files":"d","command":["cat"]}]}`:       "does not go with \"files\"",
		`{"handlers":[{"resource":"arn:aws:states:::s3:getObject","files":"d","waitForCallback":false}]}`: "does not go with \"files\"",
	} {
		if _, err := ParseCommands([]byte(src), "/base"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error saying %q", src, err, want)
		}
	}
}
