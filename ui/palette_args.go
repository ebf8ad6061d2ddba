package ui

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// awsRegions are offered to :region. Any other name can still be typed: a new region
// works before this list knows it.
var awsRegions = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2",
	"ca-central-1", "ca-west-1", "mx-central-1", "sa-east-1",
	"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2",
	"eu-north-1", "eu-south-1", "eu-south-2",
	"af-south-1", "il-central-1", "me-south-1", "me-central-1",
	"ap-south-1", "ap-south-2", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
}

func regionNames() []string { return awsRegions }

// profileNames are the profiles of the shared config and credentials files, where the
// SDK looks for them (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, or ~/.aws), sorted.
// A file that cannot be read offers nothing.
func profileNames() []string {
	home, _ := os.UserHomeDir()
	files := []struct{ env, def string }{
		{"AWS_CONFIG_FILE", filepath.Join(home, ".aws", "config")},
		{"AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, ".aws", "credentials")},
	}
	seen := map[string]bool{}
	var names []string
	for _, f := range files {
		path := os.Getenv(f.env)
		if path == "" {
			path = f.def
		}
		fh, err := os.Open(path)
		if err != nil {
			continue
		}
		for _, n := range sectionProfiles(fh) {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
		fh.Close()
	}
	slices.Sort(names)
	return names
}

// sectionProfiles reads the profile names from the section headers of an INI file:
// "[default]", "[profile dev]" in config, "[dev]" in credentials. Sections of other
// kinds ("[sso-session x]", "[services x]") are not profiles.
func sectionProfiles(r io.Reader) []string {
	var names []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if len(line) < 3 || line[0] != '[' || line[len(line)-1] != ']' {
			continue
		}
		fields := strings.Fields(line[1 : len(line)-1])
		switch {
		case len(fields) == 1 && fields[0] != "profile":
			names = append(names, fields[0])
		case len(fields) == 2 && fields[0] == "profile":
			names = append(names, fields[1])
		}
	}
	return names
}
