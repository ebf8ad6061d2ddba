package jsonata

import (
	"errors"

	"github.com/stepdeck/stepdeck/interpreter/jsonata/picture"
)

// The picture-string functions live in package picture; this file is the only place
// that knows its API.

func formatNumberPicture(x float64, pic string, opts map[string]string) (string, error) {
	return picture.FormatNumber(x, pic, opts)
}

func formatIntegerPicture(x float64, pic string) (string, error) {
	return picture.FormatInteger(x, pic)
}

func parseIntegerPicture(s, pic string) (float64, error) { return picture.ParseInteger(s, pic) }

func formatDateTime(millis int64, pic, tz string) (string, error) {
	return picture.FormatDateTime(millis, pic, tz)
}

func parseDateTime(s, pic string, now int64) (int64, error) {
	return picture.ParseDateTimeAt(s, pic, now)
}

// noMatch reports the picture functions' "the text does not fit the picture", which the
// reference answers with undefined rather than an error.
func noMatch(err error) bool { return errors.Is(err, picture.ErrNoMatch) }

func formatISO(millis int64) string { return picture.FormatISO(millis) }

func parseISO(s string) (int64, error) { return picture.ParseISO(s) }

func pictureError(err error) error {
	var pe *picture.Error
	if errors.As(err, &pe) {
		return &Error{Code: pe.Code, Message: pe.Message}
	}
	return &Error{Code: "D3137", Message: err.Error()}
}
