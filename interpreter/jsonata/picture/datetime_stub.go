package picture

func FormatDateTime(millis int64, picture, timezone string) (string, error) {
	return "", errorf("D3135", "not implemented")
}
func ParseDateTime(s, picture string) (int64, error) {
	return 0, errorf("D3135", "not implemented")
}
func FormatISO(millis int64) string { return "" }
func ParseISO(s string) (int64, error) {
	return 0, errorf("D3110", "not implemented")
}
