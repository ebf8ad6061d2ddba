package pages

import (
	"context"
	"fmt"
	"os"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/graph"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
)

// MachineView shows a state machine without running it: what DescribeStateMachine says
// of it (ARN, type, status, role, revision, logging, tracing), its tags, where it came
// from when it was loaded from a file, and either its graph or its definition (foldable;
// the source file's own text too), switched with tab.
type MachineView struct {
	c      *common.Common
	arn    string
	name   string
	ctx    context.Context
	cancel context.CancelFunc

	desc    *sfn.DescribeStateMachineOutput
	tags    []string
	def     *asl.Definition
	defErr  string
	err     error
	showDef bool
	detail  *jsonview.Model
	scrollX int
	scrollY int
}

type machineDescribedMsg struct {
	owner *MachineView
	desc  *sfn.DescribeStateMachineOutput
	tags  []string
	err   error
}

var (
	keyDescribe   = key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "describe"))
	keyGraphOrDef = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "graph/definition"))
)

// NewMachineView returns the screen of the machine arn.
func NewMachineView(c *common.Common, arn, name string) *MachineView {
	return &MachineView{c: c, arn: arn, name: name, detail: jsonview.New(c.Styles)}
}

func (v *MachineView) Title() string { return "Machine " + common.Line(v.name, 40) }

func (v *MachineView) Init() tea.Cmd {
	v.Close()
	v.ctx, v.cancel = context.WithCancel(context.Background())
	ctx, api, arn := v.ctx, v.c.API, v.arn
	return func() tea.Msg {
		cctx, cancel := callCtx(ctx)
		defer cancel()
		d, err := api.DescribeStateMachine(cctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
		if err != nil {
			return machineDescribedMsg{owner: v, err: fmt.Errorf("describing the state machine: %w", err)}
		}
		m := machineDescribedMsg{owner: v, desc: d}
		// Tags are not in every backend's API; where they are, they are shown.
		t, ok := api.(tagLister)
		if !ok {
			t, ok = awsTags(api)
		}
		if ok {
			if out, err := t.ListTagsForResource(cctx, &sfn.ListTagsForResourceInput{ResourceArn: aws.String(arn)}); err == nil {
				for _, tag := range out.Tags {
					m.tags = append(m.tags, aws.ToString(tag.Key)+"="+aws.ToString(tag.Value))
				}
			}
		}
		return m
	}
}

// awsTags finds the AWS client under a wrapper (the Express one) for its tags.
func awsTags(api client.API) (tagLister, bool) {
	if a, ok := client.AWSOf(api); ok {
		return a, true
	}
	return nil, false
}

type tagLister interface {
	ListTagsForResource(ctx context.Context, in *sfn.ListTagsForResourceInput, optFns ...func(*sfn.Options)) (*sfn.ListTagsForResourceOutput, error)
}

func (v *MachineView) Close() {
	if v.cancel != nil {
		v.cancel()
	}
}

func (v *MachineView) Capturing() bool { return false }

func (v *MachineView) Keys() []key.Binding {
	ks := []key.Binding{keyGraphOrDef}
	if v.showDef {
		ks = append(ks, keyUpDown, jsonview.KeyToggle, jsonview.KeyFoldAll)
	} else {
		ks = append(ks, keyGraphArrows)
	}
	return append(ks, keyRefresh)
}

func (v *MachineView) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case machineDescribedMsg:
		if msg.owner != v {
			return v, nil
		}
		if msg.err != nil {
			v.err = msg.err
			return v, fail(msg.err)
		}
		v.desc, v.tags, v.err = msg.desc, msg.tags, nil
		v.def, v.defErr = nil, ""
		if def, err := asl.Parse([]byte(aws.ToString(msg.desc.Definition))); err != nil {
			v.defErr = err.Error()
		} else {
			v.def = def
		}
		v.detail.SetContent(v.arn+"\x00"+aws.ToString(msg.desc.RevisionId), nil, v.sections())
		return v, nil
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, keyGraphOrDef):
			v.showDef = !v.showDef
			v.detail.SetFocused(v.showDef)
		case key.Matches(msg, keyRefresh):
			return v, v.Init()
		case v.showDef:
			v.detail.Update(msg)
		case msg.String() == "left":
			v.scrollX = max(v.scrollX-4, 0)
		case msg.String() == "right":
			v.scrollX += 4
		case msg.String() == "up":
			v.scrollY = max(v.scrollY-1, 0)
		case msg.String() == "down":
			v.scrollY++
		}
	}
	return v, nil
}

// sections are the definition as deployed and, for a machine loaded from a file, that
// file's own text.
func (v *MachineView) sections() []jsonview.Section {
	out := []jsonview.Section{{Label: "definition", Text: aws.ToString(v.desc.Definition)}}
	if path := v.sourceFile(); path != "" {
		if b, err := os.ReadFile(path); err == nil && len(b) < 1<<20 {
			out = append(out, jsonview.Section{Label: "source " + path, Text: string(b)})
		}
	}
	return out
}

// sourceFile is the file the machine's definition was read from, when it was loaded
// from one: "template.yaml#Id (statemachine/x.asl.json)" names the definition file in
// parentheses, "file.asl.json" is one.
func (v *MachineView) sourceFile() string {
	if v.c.Sources == nil {
		return ""
	}
	origin, _, ok := v.c.Sources.Origin(v.name)
	if !ok {
		return ""
	}
	if i := strings.LastIndex(origin, " ("); i >= 0 && strings.HasSuffix(origin, ")") {
		return origin[i+2 : len(origin)-1]
	}
	if i := strings.IndexByte(origin, '#'); i >= 0 {
		return origin[:i]
	}
	return origin
}

// facts are the lines above the graph or definition.
func (v *MachineView) facts() []string {
	d := v.desc
	lines := []string{
		"ARN       " + aws.ToString(d.StateMachineArn),
		fmt.Sprintf("Type      %s · %s · created %s", d.Type, d.Status, v.c.Time(aws.ToTime(d.CreationDate))),
		"Role      " + orNone(aws.ToString(d.RoleArn)),
	}
	rev := aws.ToString(d.RevisionId)
	if rev != "" || aws.ToString(d.Description) != "" {
		lines = append(lines, "Revision  "+orNone(rev)+descSuffix(aws.ToString(d.Description)))
	}
	logging := "off"
	if l := d.LoggingConfiguration; l != nil && l.Level != "" && l.Level != "OFF" {
		logging = fmt.Sprintf("%s, execution data %v", l.Level, l.IncludeExecutionData)
		for _, dst := range l.Destinations {
			if dst.CloudWatchLogsLogGroup != nil {
				logging += " → " + aws.ToString(dst.CloudWatchLogsLogGroup.LogGroupArn)
			}
		}
	}
	tracing := "off"
	if d.TracingConfiguration != nil && d.TracingConfiguration.Enabled {
		tracing = "X-Ray"
	}
	lines = append(lines, "Logging   "+logging+" · tracing "+tracing)
	if len(v.tags) > 0 {
		lines = append(lines, "Tags      "+strings.Join(v.tags, ", "))
	}
	if v.c.Sources != nil {
		if origin, problem, ok := v.c.Sources.Origin(v.name); ok {
			line := "Source    " + origin
			if problem != "" {
				line += " · ✗ " + problem
			}
			lines = append(lines, line)
		}
	}
	if v.defErr != "" {
		lines = append(lines, "⚠ the definition does not parse: "+v.defErr)
	}
	return lines
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func descSuffix(s string) string {
	if s == "" {
		return ""
	}
	return " · " + s
}

func (v *MachineView) View() string {
	w, h := v.c.Width, v.c.BodyHeight()
	switch {
	case v.err != nil:
		return common.Fit("Could not describe the state machine (the reason is below; r tries again).", w, h)
	case v.desc == nil:
		return common.Fit("Loading…", w, h)
	}
	var b strings.Builder
	facts := v.facts()
	for _, l := range facts {
		b.WriteString(common.Line(l, w) + "\n")
	}
	tabs := "[graph] definition"
	if v.showDef {
		tabs = "graph [definition]"
	}
	b.WriteString(v.c.Styles.Key.Render(tabs) + "\n")
	rest := max(h-len(facts)-1, 1)
	if v.showDef {
		b.WriteString(v.detail.View(w, rest))
	} else if v.def != nil {
		out := graph.Render(v.def, nil, graph.Options{Width: w, Height: rest, ScrollX: v.scrollX, ScrollY: v.scrollY,
			Color: v.c.Styles.Color})
		b.WriteString(out)
	}
	return common.Fit(b.String(), w, h)
}
