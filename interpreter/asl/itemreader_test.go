package asl

import (
	"strings"
	"testing"
)

func distributedMap(fields string) string {
	return `{"StartAt":"M","States":{"M":{"Type":"Map",` + fields + `,
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`
}

func TestItemReaderParses(t *testing.T) {
	d, err := Parse([]byte(distributedMap(`"ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
		"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["a","b"],"CSVDelimiter":"TAB","MaxItemsPath":"$.n"},
		"Parameters":{"Bucket":"b","Key.$":"$.k"}},
		"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"o","Prefix":"p"}}`)))
	if err != nil {
		t.Fatal(err)
	}
	st := d.Scope.States["M"]
	r := st.ItemReader
	if r == nil || r.Resource != "arn:aws:states:::s3:getObject" || r.InputType != "CSV" || r.CSVHeaderLocation != "GIVEN" ||
		strings.Join(r.CSVHeaders, ",") != "a,b" || r.CSVDelimiter != "TAB" || r.MaxItems.Path == nil || r.Parameters == nil {
		t.Errorf("reader %+v", r)
	}
	if w := st.ResultWriter; w == nil || w.Resource != "arn:aws:states:::s3:putObject" || w.Parameters == nil {
		t.Errorf("writer %+v", w)
	}
	d, err = Parse([]byte(`{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map",
		"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON","MaxItems":"{% $n %}"},
			"Arguments":{"Bucket":"{% $states.input.b %}","Key":"k"}},
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if r := d.Scope.States["M"].ItemReader; r.Arguments == nil || r.MaxItems.Expr == nil {
		t.Errorf("JSONata reader %+v", r)
	}
}

func TestItemReaderDiagnostics(t *testing.T) {
	for _, tc := range []struct{ fields, want string }{
		{`"ItemReader":"s3"`, "Expected value of type 'Object' for the field 'ItemReader'"},
		{`"ItemReader":{"ReaderConfig":{}}`, "These fields are required: [Resource] at /States/M/ItemReader"},
		{`"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"XML"}}`,
			"The field 'InputType' should have one of these values: [CSV, JSON, JSONL, MANIFEST, PARQUET] at /States/M/ItemReader/ReaderConfig/InputType"},
		{`"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"GIVEN"}}`,
			"These fields are required: [CSVHeaders]"},
		{`"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":[1]}}`,
			"The field 'CSVHeaders' must be an array of strings"},
		{`"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"MaxItems":-1}}`, "The value of 'MaxItems' must be an integer between 0 and 100000000"},
		{`"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"MaxItems":1,"MaxItemsPath":"$.n"}}`, "Only one of 'MaxItems' or 'MaxItemsPath' may be set"},
		{`"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Bogus":1}`, "Field 'Bogus' is not supported at /States/M/ItemReader"},
		{`"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Nope":{}}`, "Field 'Nope' is not supported at /States/M/ResultWriter"},
	} {
		var lines []string
		for _, d := range diagnostics(t, distributedMap(tc.fields)) {
			lines = append(lines, d.String())
		}
		if all := strings.Join(lines, "\n"); !strings.Contains(all, tc.want) {
			t.Errorf("%s: want a diagnostic containing %q; got:\n%s", tc.fields, tc.want, all)
		}
	}
}
