package graph

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

// Definitions drawn by the golden tests and the width sweeps. The bundled examples are
// read from examples/; the rest are written here because they exist to exercise a shape.

const fiveRuleChoice = `{
  "StartAt": "Route Order",
  "States": {
    "Route Order": {
      "Type": "Choice",
      "Choices": [
        {"Variable": "$.total", "NumericGreaterThan": 1000, "Next": "Manual Review"},
        {"Variable": "$.country", "StringEquals": "NZ", "Next": "Ship Overseas"},
        {"And": [{"Variable": "$.express", "BooleanEquals": true}, {"Variable": "$.weight", "NumericLessThan": 5}], "Next": "Courier"},
        {"Variable": "$.giftCard", "IsPresent": true, "Next": "Send Gift Card"},
        {"Variable": "$.sku", "StringMatches": "DIGITAL-*", "Next": "Email Download"}
      ],
      "Default": "Ship Standard"
    },
    "Manual Review": {"Type": "Pass", "Next": "Done"},
    "Ship Overseas": {"Type": "Pass", "Next": "Done"},
    "Courier": {"Type": "Pass", "Next": "Done"},
    "Send Gift Card": {"Type": "Pass", "Next": "Done"},
    "Email Download": {"Type": "Pass", "Next": "Done"},
    "Ship Standard": {"Type": "Pass", "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}`

const mapInParallel = `{
  "StartAt": "Load Batch",
  "States": {
    "Load Batch": {"Type": "Pass", "Next": "Fan Out"},
    "Fan Out": {
      "Type": "Parallel",
      "Branches": [
        {
          "StartAt": "Resize Images",
          "States": {
            "Resize Images": {
              "Type": "Map",
              "ItemsPath": "$.images",
              "MaxConcurrency": 4,
              "ItemProcessor": {
                "StartAt": "Resize",
                "States": {
                  "Resize": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "resize", "Payload.$": "$"}, "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}], "Next": "Store"},
                  "Store": {"Type": "Pass", "End": true}
                }
              },
              "End": true
            }
          }
        },
        {
          "StartAt": "Index Text",
          "States": {
            "Index Text": {"Type": "Pass", "Next": "Tag Pages"},
            "Tag Pages": {
              "Type": "Map",
              "ItemsPath": "$.pages",
              "ItemProcessor": {
                "StartAt": "Tag",
                "States": {"Tag": {"Type": "Pass", "End": true}}
              },
              "End": true
            }
          }
        }
      ],
      "Next": "Report"
    },
    "Report": {"Type": "Succeed"}
  }
}`

const catchChain = `{
  "StartAt": "Charge Card",
  "States": {
    "Charge Card": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "charge"},
      "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 3}],
      "Catch": [
        {"ErrorEquals": ["CardDeclined"], "Next": "Try Backup Card"},
        {"ErrorEquals": ["States.ALL"], "Next": "Refund"}
      ],
      "Next": "Ship"
    },
    "Try Backup Card": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "charge-backup"},
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Refund"}],
      "Next": "Ship"
    },
    "Ship": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "ship"},
      "Catch": [{"ErrorEquals": ["States.TaskFailed", "States.Timeout"], "Next": "Refund"}],
      "End": true
    },
    "Refund": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "refund"},
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Page On-call"}],
      "Next": "Order Failed"
    },
    "Page On-call": {"Type": "Pass", "Next": "Order Failed"},
    "Order Failed": {"Type": "Fail", "Error": "OrderFailed"}
  }
}`

type namedDef struct {
	name string
	def  *asl.Definition
}

func mustParse(t testing.TB, src []byte) *asl.Definition {
	t.Helper()
	def, err := asl.Parse(src)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return def
}

func exampleDef(t testing.TB, file string) *asl.Definition {
	t.Helper()
	return mustParse(t, []byte(mustSource(t, file)))
}

func mustSource(t testing.TB, file string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "examples", file))
	if err != nil {
		t.Fatalf("the bundled example is missing: %v", err)
	}
	return string(data)
}

// shapes are the definitions of the golden tests.
func shapes(t testing.TB) []namedDef {
	return []namedDef{
		{"batch-job-poller", exampleDef(t, "batch-job-poller.asl.json")},
		{"document-sign-off", exampleDef(t, "document-sign-off.asl.json")},
		{"five-rule-choice", mustParse(t, []byte(fiveRuleChoice))},
		{"map-in-parallel", mustParse(t, []byte(mapInParallel))},
		{"catch-chain", mustParse(t, []byte(catchChain))},
	}
}
