package picture

func FormatNumber(x float64, picture string, options map[string]string) (string, error) {
	return "", errorf("D3080", "not implemented")
}
func FormatInteger(x float64, picture string) (string, error) {
	return "", errorf("D3130", "not implemented")
}
func ParseInteger(s, picture string) (float64, error) {
	return 0, errorf("D3130", "not implemented")
}
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
