package mock

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// A distributed Map's ItemReader is mocked by the Map's name: its Return is what S3
// returned (for getObject, the object's body as a string); a ResultWriter's puts are
// the calls that follow.
func TestThroughEngineMapItemReaderIsMockedByTheMapsName(t *testing.T) {
	mocks := `{"StateMachines":{"M":{"TestCases":{"T":{"Rows":"Csv"}}}},
	  "MockedResponses":{"Csv":{"0":{"Return":"id,qty\n7,2\n8,5\n"},"1-2":{"Return":{"ETag":"x"}}}}}`
	def := `{"StartAt":"Rows","States":{"Rows":{"Type":"Map","End":true,
	  "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"},
	    "Parameters":{"Bucket":"b","Key":"orders.csv"}},
	  "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
	  "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out"}}}}}`
	x := runMocked(t, def, `{}`, mustCase(t, mocks, "M", "T"))
	if x.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s: %s %s", x.Status, x.Error, x.Cause)
	}
	details, _ := x.Output.(*value.Object).Get("ResultWriterDetails")
	if b, _ := details.(*value.Object).Get("Bucket"); b != "out" {
		t.Errorf("output %s, want the ResultWriter's details", value.String(x.Output))
	}
}

func TestThroughEngineUnmockedItemReaderNamesTheMap(t *testing.T) {
	mocks := `{"StateMachines":{"M":{"TestCases":{"T":{"Other":"R"}}}},"MockedResponses":{"R":{"0":{"Return":1}}}}`
	def := `{"StartAt":"Rows","States":{"Rows":{"Type":"Map","End":true,
	  "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"b","Key":"k"}},
	  "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}`
	x := runMocked(t, def, `{}`, mustCase(t, mocks, "M", "T"))
	if x.Status != types.ExecutionStatusFailed || x.Error != "States.ItemReaderFailed" {
		t.Fatalf("status %s %s, want the read to fail", x.Status, x.Error)
	}
	for _, want := range []string{"'Rows'", "arn:aws:states:::s3:getObject"} {
		if !strings.Contains(x.Cause, want) {
			t.Errorf("cause %q does not name %s", x.Cause, want)
		}
	}
}
