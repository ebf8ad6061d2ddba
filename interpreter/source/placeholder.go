package source

import (
	"fmt"
	"strings"
)

// Placeholder is a reference a template makes that only a deployment could resolve (a
// function's ARN, a queue's URL, the account id), and the stable value that stands in
// for it locally.
type Placeholder struct {
	Expression string // as written, in short form: "!GetAtt SignerFunction.Arn", "!Ref AWS::AccountId"
	Value      string // what it became
	Type       string // the resource type it names, when it names one
}

// Where placeholders live: the local engine's own account and region, so a placeholder
// ARN looks like one of the machines' own.
const (
	placeholderPartition = "aws"
	placeholderRegion    = "us-east-1"
	placeholderAccount   = "123456789012"
)

// physical is what a resource is called once deployed: the name its properties give, or
// else its logical id.
type resource struct {
	logicalID string
	typ       string
	props     *node
	node      *node  // the whole declaration (Type, Properties, Metadata, ...)
	name      string // the physical name used in its placeholders
}

// nameProperty is the property that names each kind of resource, when the template
// sets it.
var nameProperty = map[string]string{
	"AWS::Lambda::Function":            "FunctionName",
	"AWS::Serverless::Function":        "FunctionName",
	"AWS::SQS::Queue":                  "QueueName",
	"AWS::SNS::Topic":                  "TopicName",
	"AWS::DynamoDB::Table":             "TableName",
	"AWS::DynamoDB::GlobalTable":       "TableName",
	"AWS::Serverless::SimpleTable":     "TableName",
	"AWS::S3::Bucket":                  "BucketName",
	"AWS::StepFunctions::StateMachine": "StateMachineName",
	"AWS::Serverless::StateMachine":    "Name",
	"AWS::StepFunctions::Activity":     "Name",
	"AWS::IAM::Role":                   "RoleName",
	"AWS::Events::EventBus":            "Name",
	"AWS::ECS::Cluster":                "ClusterName",
	"AWS::SecretsManager::Secret":      "Name",
	"AWS::Kinesis::Stream":             "Name",
	"AWS::Logs::LogGroup":              "LogGroupName",
	"AWS::CodeBuild::Project":          "Name",
	"AWS::Batch::JobQueue":             "JobQueueName",
	"AWS::Batch::JobDefinition":        "JobDefinitionName",
	"AWS::EKS::Cluster":                "Name",
	"AWS::Glue::Job":                   "Name",
}

// resourceValue is what Ref (attr "") or Fn::GetAtt (attr set) returns for a resource
// of a type, following each type's "Return values" in the CloudFormation resource
// reference. A type or attribute not listed gets a generic value that still names the
// resource.
func resourceValue(r *resource, attr string) string {
	p, reg, acct, n := placeholderPartition, placeholderRegion, placeholderAccount, r.name
	arn := func(service, rest string) string {
		return fmt.Sprintf("arn:%s:%s:%s:%s:%s", p, service, reg, acct, rest)
	}
	switch r.typ {
	case "AWS::Lambda::Function", "AWS::Serverless::Function":
		switch attr {
		case "", "FunctionName":
			return n
		case "Arn":
			return arn("lambda", "function:"+n)
		}
	case "AWS::SQS::Queue":
		url := fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/%s", reg, acct, n)
		switch attr {
		case "", "QueueUrl":
			return url
		case "Arn":
			return arn("sqs", n)
		case "QueueName":
			return n
		}
	case "AWS::SNS::Topic":
		switch attr {
		case "", "TopicArn":
			return arn("sns", n)
		case "TopicName":
			return n
		}
	case "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "AWS::Serverless::SimpleTable":
		switch attr {
		case "":
			return n
		case "Arn":
			return arn("dynamodb", "table/"+n)
		case "StreamArn":
			return arn("dynamodb", "table/"+n+"/stream/1970-01-01T00:00:00.000")
		}
	case "AWS::S3::Bucket":
		switch attr {
		case "":
			return n
		case "Arn":
			return fmt.Sprintf("arn:%s:s3:::%s", p, n)
		case "DomainName":
			return n + ".s3.amazonaws.com"
		case "RegionalDomainName":
			return n + ".s3." + reg + ".amazonaws.com"
		}
	case "AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine":
		switch attr {
		case "", "Arn":
			return arn("states", "stateMachine:"+n)
		case "Name":
			return n
		}
	case "AWS::StepFunctions::Activity":
		switch attr {
		case "", "Arn":
			return arn("states", "activity:"+n)
		case "Name":
			return n
		}
	case "AWS::IAM::Role":
		switch attr {
		case "":
			return n
		case "Arn":
			return fmt.Sprintf("arn:%s:iam::%s:role/%s", p, acct, n)
		}
	case "AWS::Events::EventBus":
		switch attr {
		case "", "Name":
			return n
		case "Arn":
			return arn("events", "event-bus/"+n)
		}
	case "AWS::ECS::Cluster":
		switch attr {
		case "":
			return n
		case "Arn":
			return arn("ecs", "cluster/"+n)
		}
	case "AWS::ECS::TaskDefinition":
		switch attr {
		case "", "TaskDefinitionArn":
			return arn("ecs", "task-definition/"+n+":1")
		}
	case "AWS::SecretsManager::Secret":
		if attr == "" || attr == "Id" {
			return arn("secretsmanager", "secret:"+n)
		}
	case "AWS::Kinesis::Stream":
		switch attr {
		case "":
			return n
		case "Arn":
			return arn("kinesis", "stream/"+n)
		}
	case "AWS::Logs::LogGroup":
		switch attr {
		case "":
			return n
		case "Arn":
			return arn("logs", "log-group:"+n+":*")
		}
	case "AWS::CodeBuild::Project":
		switch attr {
		case "":
			return n
		case "Arn":
			return arn("codebuild", "project/"+n)
		}
	case "AWS::Batch::JobQueue":
		if attr == "" || attr == "JobQueueArn" {
			return arn("batch", "job-queue/"+n)
		}
	case "AWS::Batch::JobDefinition":
		if attr == "" {
			return arn("batch", "job-definition/"+n+":1")
		}
	case "AWS::EKS::Cluster":
		switch attr {
		case "":
			return n
		case "Arn":
			return arn("eks", "cluster/"+n)
		}
	}
	// Not in the table: Ref is the name, an Arn attribute an ARN in the type's
	// service, anything else a value that says which resource and attribute it is.
	switch {
	case attr == "":
		return n
	case attr == "Arn" || strings.HasSuffix(attr, "Arn"):
		service, kind := "unknown", "resource"
		if parts := strings.Split(r.typ, "::"); len(parts) == 3 {
			service, kind = strings.ToLower(parts[1]), strings.ToLower(parts[2])
		}
		return arn(service, kind+"/"+n)
	}
	return n + "." + attr
}
