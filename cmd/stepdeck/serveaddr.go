package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// serveFile is where `stepdeck serve` says, in its data directory, where it listens: a
// UI opened on that data directory while serve holds its store talks to it over HTTP
// instead of refusing (one store, two front ends).
const serveFile = "serve.json"

type serveAddr struct {
	Endpoint string `json:"endpoint"`
	PID      int    `json:"pid"`
}

// writeServeAddr records the endpoint; the function it returns removes the record.
func writeServeAddr(dataDir, endpoint string) (remove func(), err error) {
	b, _ := json.Marshal(serveAddr{Endpoint: endpoint, PID: os.Getpid()})
	path := filepath.Join(dataDir, serveFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return func() {}, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return func() {}, err
	}
	return func() { os.Remove(path) }, nil
}

// readServeAddr is the endpoint of the serve holding dataDir's store.
func readServeAddr(dataDir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dataDir, serveFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("no %s in %s: the process holding the store is not a stepdeck serve that says where it listens", serveFile, dataDir)
	}
	if err != nil {
		return "", err
	}
	var a serveAddr
	if err := json.Unmarshal(b, &a); err != nil || a.Endpoint == "" {
		return "", fmt.Errorf("%s in %s is not what stepdeck serve writes", serveFile, dataDir)
	}
	return a.Endpoint, nil
}
