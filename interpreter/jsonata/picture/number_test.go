package picture

import (
	"errors"
	"math"
	"testing"
)

func TestFormatNumber(t *testing.T) {
	dutch := map[string]string{"decimal-separator": ",", "grouping-separator": "."}
	tests := []struct {
		x       float64
		picture string
		options map[string]string
		want    string
	}{
		{1234567.891, "#,##0.00", nil, "1,234,567.89"},
		// Half to even, on the decimal value as written.
		{0.5, "0", nil, "0"},
		{1.5, "0", nil, "2"},
		{2.5, "0", nil, "2"},
		{-2.5, "0", nil, "-2"},
		{2.675, "0.00", nil, "2.68"},
		{1.005, "0.00", nil, "1.00"},
		{0.125, "0.00", nil, "0.12"},
		// Optional digits drop zeros, mandatory ones keep them.
		{3.1, "0.0##", nil, "3.1"},
		{3.14159, "0.0##", nil, "3.142"},
		{0.5, "#.##", nil, ".5"},
		{0, "#", nil, "0"},
		{7, "000.0", nil, "007.0"},
		// Percent and per-mille scale the value.
		{0.25, "0%", nil, "25%"},
		{0.0125, "0.0\u2030", nil, "12.5\u2030"},
		// Negative numbers: the minus sign, or the second sub-picture.
		{-1234.5, "#,##0.0", nil, "-1,234.5"},
		{-1234.5, "#,##0.0;(#,##0.0)", nil, "(1,234.5)"},
		{-5, "0", map[string]string{"minus-sign": "~"}, "~5"},
		{-3, "0|[0]", map[string]string{"pattern-separator": "|"}, "[3]"},
		// Irregular grouping (Indian style) and grouping in the fraction.
		{1e6, "#,##,##0", nil, "10,00,000"},
		{3.14159265, "0.000 000 00", map[string]string{"grouping-separator": " "}, "3.141 592 65"},
		{1234.5, "#.##0,0", dutch, "1.234,5"},
		// Exponents.
		{123456, "0.00e00", nil, "1.23e05"},
		{0.000123, "0.0e0", nil, "1.2e-4"},
		{-0.000123, "0.0e0", nil, "-1.2e-4"},
		{123456, "00.0E0", map[string]string{"exponent-separator": "E"}, "12.3E4"},
		// Prefix and suffix text, including the exponent letter inside a suffix.
		{12, "#0 each", nil, "12 each"},
		{12, "$#0.00", nil, "$12.00"},
		// Other digit families, including one outside the Basic Multilingual Plane.
		{42, "\U0001D7CE\U0001D7CE\U0001D7CE", map[string]string{"zero-digit": "\U0001D7CE"}, "\U0001D7CE\U0001D7D2\U0001D7D0"},
		{1234.5, "#,\u0966\u0966\u0966.\u0966", map[string]string{"zero-digit": "\u0966"}, "\u0967,\u0968\u0969\u096a.\u096b"},
		// Values JSON cannot hold still format.
		{math.Inf(1), "#,##0", nil, "Infinity"},
		{math.Inf(-1), "#,##0", nil, "-Infinity"},
		{math.NaN(), "0", map[string]string{"NaN": "n/a"}, "n/a"},
		{1e21, "#,##0", nil, "1,000,000,000,000,000,000,000"},
	}
	for _, tc := range tests {
		got, err := FormatNumber(tc.x, tc.picture, tc.options)
		if err != nil || got != tc.want {
			t.Errorf("FormatNumber(%v, %q, %v) = %q, %v; want %q", tc.x, tc.picture, tc.options, got, err, tc.want)
		}
	}
}

func TestFormatNumberPictureErrors(t *testing.T) {
	tests := []struct{ picture, code string }{
		{"0;0;0", "D3080"},
		{"#.#.#", "D3081"},
		{"0%%", "D3082"},
		{"0\u2030\u2030", "D3083"},
		{"%0\u2030", "D3084"},
		{"x.e1", "D3085"},
		{"0x0", "D3086"},
		{"0,.0", "D3087"},
		{"00,", "D3088"},
		{"0,,000", "D3089"},
		{"00#", "D3090"},
		{"0.#0", "D3091"},
		{"0.0e0\u2030", "D3092"},
		{"0.0e", "D3093"},
		{"0e0#", "D3093"},
	}
	for _, tc := range tests {
		_, err := FormatNumber(1, tc.picture, nil)
		var pe *Error
		if !errors.As(err, &pe) || pe.Code != tc.code {
			t.Errorf("FormatNumber(1, %q) error = %v; want code %s", tc.picture, err, tc.code)
		}
	}
}

func TestRoundHalfEven(t *testing.T) {
	tests := []struct {
		x    float64
		prec int
		want float64
	}{
		{2.5, 0, 2}, {3.5, 0, 4}, {-3.5, 0, -4}, {0.045, 2, 0.04}, {0.055, 2, 0.06},
		{1234.5678, 2, 1234.57}, {-0.4, 0, 0}, {1e300, 2, 1e300}, {5e-324, 3, 0},
	}
	for _, tc := range tests {
		got := roundHalfEven(tc.x, tc.prec)
		if got != tc.want || math.Signbit(got) != math.Signbit(tc.want) {
			t.Errorf("roundHalfEven(%v, %d) = %v; want %v", tc.x, tc.prec, got, tc.want)
		}
	}
}
