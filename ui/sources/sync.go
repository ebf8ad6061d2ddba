// Package sources keeps the state machines of a backend in step with the files they
// are written in: it loads sources (ASL files, folders, SAM and CloudFormation
// templates, CDK cloud assemblies), creates their machines, watches the files, and on
// a save updates each changed machine, a new revision as UpdateStateMachine makes. A
// definition that no longer validates leaves its machine as it was (what runs goes on
// running) and is reported with its problem, placed at a line and column of its file.
package sources

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/source"
	"github.com/stepdeck/stepdeck/ui/common"
)

// DefaultRole is the execution role of a machine whose source names none; the local
// engine records it and assumes nothing.
const DefaultRole = "arn:aws:iam::123456789012:role/stepdeck-local"

// Info is what the UI shows of a machine that came from a source.
type Info struct {
	Origin       string // "template.yaml#SignOffMachine (statemachine/sign-off.asl.json)"
	Problem      string // the first problem of its latest edit, placed in its file; empty when valid
	Problems     int    // how many problems the latest edit has
	Placeholders []source.Placeholder
	Revision     string // the revision id of the latest update; empty before the first
}

// Syncer keeps a backend's machines in step with their sources. It is safe for
// concurrent use.
type Syncer struct {
	// api is the backend now; nil while it is not one sources apply to (the UI
	// switched to AWS). The local engine is opened anew on each switch back to it.
	api func() client.API

	mu      sync.Mutex
	paths   []string
	byName  map[string]*entry
	watcher *source.Watcher
	events  chan common.SourceChange
	closed  bool
	done    chan struct{}
}

// entry is one machine from a source.
type entry struct {
	key        string // source.Machine.Key: which declaration in which file
	info       Info
	definition string
	arn        string
	typ        string // the type it was created with, which no update can change
	path       string // the path it was loaded through (a file or folder given to Load)
	gone       bool   // its source no longer declares it
}

// New returns a Syncer on the backend api returns. It watches the sources it loads
// until Close.
func New(api func() client.API) *Syncer {
	s := &Syncer{api: api, byName: map[string]*entry{}, events: make(chan common.SourceChange, 64), done: make(chan struct{})}
	if w, err := source.NewWatcher(); err == nil {
		s.watcher = w
		go s.watch()
	} else {
		close(s.done)
	}
	return s
}

// Changes delivers what saves did.
func (s *Syncer) Changes() <-chan common.SourceChange { return s.events }

// Origin is common.Sources' view of Info.
func (s *Syncer) Origin(name string) (origin, problem string, ok bool) {
	info, ok := s.Info(name)
	return info.Origin, info.Problem, ok
}

// Info returns what is known of a machine by name; ok is false for a machine that did
// not come from a source.
func (s *Syncer) Info(name string) (Info, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.byName[name]
	if !ok {
		return Info{}, false
	}
	return e.info, true
}

// Count is how many machines came from sources.
func (s *Syncer) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byName)
}

// Close stops watching.
func (s *Syncer) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.mu.Unlock()
	if s.watcher != nil {
		s.watcher.Close()
	}
	<-s.done
}

// Load reads a path's machines, creates or updates them, and watches the path. It
// returns a summary for people; the error is for a path that cannot be read at all.
// A path already loaded is read again.
func (s *Syncer) Load(ctx context.Context, path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(abs); err != nil {
		return "", err
	}
	s.mu.Lock()
	known := false
	for _, p := range s.paths {
		known = known || p == abs
	}
	if !known {
		s.paths = append(s.paths, abs)
	}
	s.mu.Unlock()
	return s.sync(ctx, abs)
}

// sync loads one path and applies what it holds.
func (s *Syncer) sync(ctx context.Context, path string) (string, error) {
	api := s.api()
	if api == nil {
		return "", errors.New("files are loaded only into the local engine (:local)")
	}
	ms, loadErr := source.Load(path)
	if s.watcher != nil {
		s.watcher.Add(path, ms)
	}
	var notes []string
	created, updated, broken := 0, 0, 0
	for _, m := range ms {
		what, err := s.apply(ctx, api, path, m)
		switch {
		case err != nil:
			broken++
			notes = append(notes, err.Error())
		case what == "created":
			created++
		case what == "updated":
			updated++
			notes = append(notes, m.Name+" updated")
		case what == "fixed":
			notes = append(notes, m.Name+" fixed")
		}
	}
	var se *source.Error
	if loadErr != nil && !errors.As(loadErr, &se) && len(ms) == 0 {
		return "", loadErr
	}
	if loadErr != nil {
		// A source that does not parse: the machines it held keep their last good
		// definition and show the syntax error.
		s.markBroken(path, loadErr)
		notes = append(notes, relPath(firstLine(loadErr.Error())))
		broken++
	} else {
		notes = append(notes, s.markGone(path, ms)...)
	}
	summary := fmt.Sprintf("%s: %d state machine(s)", filepath.Base(path), len(ms))
	if created > 0 {
		summary += fmt.Sprintf(", %d created", created)
	}
	if updated > 0 {
		summary += fmt.Sprintf(", %d updated", updated)
	}
	if broken > 0 {
		summary += fmt.Sprintf(", %d with problems", broken)
	}
	if len(notes) > 0 {
		summary += ": " + strings.Join(notes, "; ")
	}
	return summary, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// markGone marks the machines a path loaded before that its sources no longer
// declare (deleted, or renamed): they stay in the engine, with their executions, and
// say so. It returns a note for each newly gone.
func (s *Syncer) markGone(path string, ms []*source.Machine) []string {
	current := map[string]bool{}
	for _, m := range ms {
		current[m.Name] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var notes []string
	for name, e := range s.byName {
		if e.path != path || current[name] || e.gone {
			continue
		}
		e.gone = true
		e.info.Problem, e.info.Problems = "no longer in "+relPath(path)+": the machine is kept as it was", 1
		notes = append(notes, name+" is no longer in its source")
	}
	sort.Strings(notes)
	return notes
}

// markBroken records a syntax error on every machine read from a file of path.
func (s *Syncer) markBroken(path string, err error) {
	var se *source.Error
	file := path
	if errors.As(err, &se) {
		file = se.File
	}
	abs, _ := filepath.Abs(file)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.byName {
		if strings.HasPrefix(e.key, abs) || strings.Contains(e.info.Origin, relPath(abs)) {
			e.info.Problem, e.info.Problems = relPath(firstLine(err.Error())), 1
		}
	}
}

// apply creates or updates one machine. It returns "created", "updated" or
// "unchanged"; an invalid definition is an error and leaves the machine as it was.
func (s *Syncer) apply(ctx context.Context, api client.API, path string, m *source.Machine) (string, error) {
	info := Info{Origin: displayOrigin(m.Origin), Placeholders: m.Placeholders}
	s.mu.Lock()
	e := s.byName[m.Name]
	if e != nil && e.key != m.Key() {
		other := e.info.Origin
		s.mu.Unlock()
		return "", fmt.Errorf("%s: the name %s is taken by %s", m.Origin, m.Name, other)
	}
	if e == nil {
		e = &entry{key: m.Key(), path: path}
		s.byName[m.Name] = e
	}
	e.gone = false
	info.Revision = e.info.Revision
	s.mu.Unlock()

	typ := m.Type
	if typ == "" {
		typ = "STANDARD"
	}
	if _, err := asl.ParseFor(m.Definition, typ); err != nil {
		var de *asl.Error
		if errors.As(err, &de) && len(de.Diagnostics) > 0 {
			d := de.Diagnostics[0]
			loc := strings.Replace(m.LocateAt(d.Location, d.Line, d.Column), m.Origin.Path, relPath(m.Origin.Path), 1)
			info.Problem = fmt.Sprintf("%s: %s: %s", loc, d.Code, d.Message)
			if d.Location != "" {
				info.Problem += " at " + d.Location
			}
			info.Problems = len(de.Diagnostics)
		} else {
			info.Problem, info.Problems = err.Error(), 1
		}
		s.setInfo(m.Name, info)
		return "", fmt.Errorf("%s: %s", m.Name, info.Problem)
	}
	def := string(m.Definition)
	role := m.RoleArn
	if role == "" {
		role = DefaultRole
	}
	s.mu.Lock()
	same := e.definition == def && e.arn != ""
	wasBroken := e.info.Problem != ""
	arn, oldType := e.arn, e.typ
	s.mu.Unlock()
	if arn != "" && oldType != "" && oldType != typ {
		info.Problem = fmt.Sprintf("%s: the type changed from %s to %s, which Step Functions cannot update: give the machine a new name", m.Origin, oldType, typ)
		info.Problems = 1
		s.setInfo(m.Name, info)
		return "", fmt.Errorf("%s: %s", m.Name, info.Problem)
	}
	if same {
		s.setInfo(m.Name, info)
		if wasBroken {
			return "fixed", nil
		}
		return "unchanged", nil
	}
	if arn == "" {
		// A machine an earlier run created is updated, and only if it differs.
		if arn = s.find(ctx, api, m.Name); arn != "" {
			d, err := api.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
			if err == nil && string(d.Type) != typ {
				info.Problem = fmt.Sprintf("%s: a %s machine of this name exists already, and Step Functions cannot change its type to %s", m.Origin, d.Type, typ)
				info.Problems = 1
				s.setInfo(m.Name, info)
				return "", fmt.Errorf("%s: %s", m.Name, info.Problem)
			}
			if err == nil && aws.ToString(d.Definition) == def {
				s.mu.Lock()
				e.definition, e.arn, e.typ, e.info = def, arn, typ, info
				s.mu.Unlock()
				return "unchanged", nil
			}
		}
	}
	what := "updated"
	if arn == "" {
		out, err := api.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(m.Name),
			Definition: aws.String(def), RoleArn: aws.String(role), Type: types.StateMachineType(typ)})
		if err != nil {
			info.Problem, info.Problems = err.Error(), 1
			s.setInfo(m.Name, info)
			return "", fmt.Errorf("%s: %v", m.Name, err)
		}
		arn, what = aws.ToString(out.StateMachineArn), "created"
	} else {
		out, err := api.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn),
			Definition: aws.String(def), RoleArn: aws.String(role)})
		if err != nil {
			info.Problem, info.Problems = err.Error(), 1
			s.setInfo(m.Name, info)
			return "", fmt.Errorf("%s: %v", m.Name, err)
		}
		info.Revision = aws.ToString(out.RevisionId)
	}
	s.mu.Lock()
	e.definition, e.arn, e.typ = def, arn, typ
	e.info = info
	s.mu.Unlock()
	return what, nil
}

// displayOrigin names an origin with paths relative to the working directory, as
// people typed them, where that is shorter.
func displayOrigin(o source.Origin) string {
	o.Path, o.Template = relPath(o.Path), relPath(o.Template)
	return o.String()
}

func relPath(p string) string {
	if p == "" {
		return p
	}
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if r, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

func (s *Syncer) setInfo(name string, info Info) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.byName[name]; e != nil {
		e.info = info
	}
}

// find looks a machine up by name: one a previous run created is updated, not
// created again.
func (s *Syncer) find(ctx context.Context, api client.API, name string) string {
	in := &sfn.ListStateMachinesInput{}
	for {
		out, err := api.ListStateMachines(ctx, in)
		if err != nil {
			return ""
		}
		for _, sm := range out.StateMachines {
			if aws.ToString(sm.Name) == name {
				return aws.ToString(sm.StateMachineArn)
			}
		}
		if out.NextToken == nil {
			return ""
		}
		in.NextToken = out.NextToken
	}
}

// watch reloads the sources after each save.
func (s *Syncer) watch() {
	defer close(s.done)
	for range s.watcher.Changes() {
		s.reloadAll()
	}
}

// reloadAll reads every source again; only machines whose definitions changed are
// updated.
func (s *Syncer) reloadAll() {
	s.mu.Lock()
	paths := append([]string(nil), s.paths...)
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, p := range paths {
		summary, err := s.sync(ctx, p)
		ev := common.SourceChange{Text: summary}
		if err != nil {
			ev = common.SourceChange{Text: err.Error(), Err: true}
		} else if strings.Contains(summary, "with problems") {
			ev.Err = true
		} else if !strings.Contains(summary, "updated") && !strings.Contains(summary, "created") && !strings.Contains(summary, "fixed") &&
			!strings.Contains(summary, "no longer") {
			continue // nothing changed: a save of the same text, or another file
		}
		select {
		case s.events <- ev:
		default: // nobody is reading: the UI shows the latest state anyway
		}
	}
}
