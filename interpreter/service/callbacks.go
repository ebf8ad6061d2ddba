package service

import (
	"context"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// answer delivers a callback to the task a token belongs to.
func (s *Service) answer(ctx context.Context, token string, in engine.Input) error {
	if token == "" || len(token) > 2048 {
		return errValidation("1 validation error detected: Value at 'taskToken' failed to satisfy constraint: Member must have length between 1 and 2048")
	}
	return s.do(ctx, func(b *batch) error {
		t := s.tokens[token]
		if t == nil {
			return errInvalidToken()
		}
		le := s.live[t.Execution]
		if t.Closed || le == nil {
			return errTaskTimedOut()
		}
		in.Frame, in.Seq = t.Frame, t.Seq
		if f := le.x.Frame(t.Frame); f == nil || f.Seq != t.Seq || f.Phase != engine.PhaseTask {
			s.closeToken(b, token)
			return errTaskTimedOut()
		}
		if in.Kind != engine.InputHeartbeat {
			s.closeToken(b, token)
		}
		s.apply(b, le, le.x.Advance(in, s.clock.Now()))
		return nil
	})
}

// SendTaskSuccess answers a task token with its output.
func (s *Service) SendTaskSuccess(ctx context.Context, in *sfn.SendTaskSuccessInput, _ ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error) {
	text := aws.ToString(in.Output)
	if len(text) > engine.MaxPayloadBytes {
		return nil, errInvalidOutput("The output is larger than 262144 bytes")
	}
	if !utf8.ValidString(text) {
		return nil, errInvalidOutput("The output is not valid UTF-8")
	}
	v, err := value.ParseString(text)
	if err != nil {
		// AWS looks at the token before the output.
		if s.tokenUnknown(ctx, aws.ToString(in.TaskToken)) {
			return nil, errInvalidToken()
		}
		return nil, errInvalidOutput(err.Error())
	}
	if err := s.answer(ctx, aws.ToString(in.TaskToken), engine.Input{Kind: engine.InputTaskSucceeded, Output: v}); err != nil {
		return nil, err
	}
	return &sfn.SendTaskSuccessOutput{}, nil
}

// SendTaskFailure fails the task a token belongs to.
func (s *Service) SendTaskFailure(ctx context.Context, in *sfn.SendTaskFailureInput, _ ...func(*sfn.Options)) (*sfn.SendTaskFailureOutput, error) {
	if in.Error != nil && len(*in.Error) > 256 {
		return nil, errValidation("1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256")
	}
	if in.Cause != nil && len(*in.Cause) > 32768 {
		return nil, errValidation("1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768")
	}
	if err := s.answer(ctx, aws.ToString(in.TaskToken), engine.Input{Kind: engine.InputTaskFailed, Error: in.Error, Cause: in.Cause}); err != nil {
		return nil, err
	}
	return &sfn.SendTaskFailureOutput{}, nil
}

// SendTaskHeartbeat restarts the heartbeat clock of the task a token belongs to.
func (s *Service) SendTaskHeartbeat(ctx context.Context, in *sfn.SendTaskHeartbeatInput, _ ...func(*sfn.Options)) (*sfn.SendTaskHeartbeatOutput, error) {
	if err := s.answer(ctx, aws.ToString(in.TaskToken), engine.Input{Kind: engine.InputHeartbeat}); err != nil {
		return nil, err
	}
	return &sfn.SendTaskHeartbeatOutput{}, nil
}

// tokenUnknown reports whether no task ever had this token.
func (s *Service) tokenUnknown(ctx context.Context, token string) bool {
	unknown := false
	_ = s.do(ctx, func(b *batch) error {
		unknown = s.tokens[token] == nil
		return nil
	})
	return unknown
}

// tokenFor returns an open task token of an execution, for tests and benchmarks that
// play the other side without reading the history.
func (s *Service) tokenFor(execArn string) string {
	var tok string
	err := s.do(ctx0, func(b *batch) error {
		if le := s.live[execArn]; le != nil {
			b.touch(le)
			for _, t := range le.tokens {
				if r := s.tokens[t]; r != nil && !r.Closed {
					tok = t
				}
			}
		}
		return nil
	})
	if err != nil {
		return "" // what it read was not stored
	}
	return tok
}

var ctx0 = context.Background()
