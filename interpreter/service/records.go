package service

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/engine"
)

// Store kinds.
const (
	kindMachines    = "machines"
	kindDefinitions = "definitions" // definition text by hash, for executions
	kindTokens      = "tokens"
)

// machineRecord is a state machine as stored.
type machineRecord struct {
	Arn          string                 `json:"arn"`
	Name         string                 `json:"name"`
	Type         types.StateMachineType `json:"type"`
	Definition   string                 `json:"definition"`
	RoleArn      string                 `json:"roleArn"`
	CreationDate time.Time              `json:"creationDate"`
	UpdateDate   time.Time              `json:"updateDate,omitempty"`
	RevisionID   string                 `json:"revisionId,omitempty"`
	Description  string                 `json:"description,omitempty"`
	Logging      json.RawMessage        `json:"logging,omitempty"`
	Tracing      json.RawMessage        `json:"tracing,omitempty"`
	Tags         map[string]string      `json:"tags,omitempty"`
	// LastVersion is the newest version number handed out, and PublishedRevision the
	// revision it was published from.
	LastVersion       int    `json:"lastVersion,omitempty"`
	PublishedRevision string `json:"publishedRevision,omitempty"`
}

// executionRecord is an execution as stored: what DescribeExecution needs, and while it
// runs, the engine's snapshot.
type executionRecord struct {
	Meta           engine.Meta    `json:"meta"`
	DefinitionHash string         `json:"definitionHash"`
	TestCase       string         `json:"testCase,omitempty"`
	Status         engine.Status  `json:"status"`
	StopDate       time.Time      `json:"stopDate,omitempty"`
	Output         *string        `json:"output,omitempty"`
	Error          *string        `json:"error,omitempty"`
	Cause          *string        `json:"cause,omitempty"`
	Snapshot       []byte         `json:"snapshot,omitempty"`
	MockCalls      map[string]int `json:"mockCalls,omitempty"`
	// RedriveDate and RedriveToken are the last redrive and the clientToken it was asked
	// with, which makes a repeated request return the same answer.
	RedriveDate  time.Time `json:"redriveDate,omitempty"`
	RedriveToken string    `json:"redriveToken,omitempty"`
}

// tokenRecord says which task a token answers.
type tokenRecord struct {
	Execution string `json:"execution"`
	Frame     int    `json:"frame"`
	Seq       uint64 `json:"seq"`
	Closed    bool   `json:"closed,omitempty"`
	// ephemeral tokens belong to EXPRESS executions and are never stored.
	ephemeral bool
}

func definitionHash(def string) string {
	h := sha256.Sum256([]byte(def))
	return hex.EncodeToString(h[:])
}
