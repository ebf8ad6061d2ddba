package picture

import "testing"

func BenchmarkFormatNumber(b *testing.B) {
	for b.Loop() {
		if _, err := FormatNumber(1234567.891, "#,##0.00", nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormatNumberExponent(b *testing.B) {
	for b.Loop() {
		if _, err := FormatNumber(0.000123456, "00.000e000", nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormatIntegerWords(b *testing.B) {
	for b.Loop() {
		if _, err := FormatInteger(1234567890123, "w"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseIntegerWords(b *testing.B) {
	s, _ := FormatInteger(1234567890123, "w")
	for b.Loop() {
		if _, err := ParseInteger(s, "w"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormatDateTime(b *testing.B) {
	for b.Loop() {
		if _, err := FormatDateTime(1521801216617, "[FNn], [D1o] [MNn] [Y] [h]:[m01] [P]", "+0100"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormatISO(b *testing.B) {
	for b.Loop() {
		FormatISO(1521801216617)
	}
}

func BenchmarkParseDateTime(b *testing.B) {
	for b.Loop() {
		if _, err := ParseDateTimeAt("23rd March 2018 10:33", "[D1o] [MNn] [Y] [H01]:[m01]", 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseISO(b *testing.B) {
	for b.Loop() {
		if _, err := ParseISO("2018-03-23T10:33:36.617+01:00"); err != nil {
			b.Fatal(err)
		}
	}
}
