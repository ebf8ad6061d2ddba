package engine

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// parseItems turns what an ItemReader's call returned into a Map's items, keeping at
// most max of them (0: all). For s3:getObject the response is the object's body, as
// text; for s3:listObjectsV2 it is the listing, whose Contents are the items.
func parseItems(r *asl.ItemReader, resp value.Value, max int64) ([]any, error) {
	if isListing(r) {
		return listedObjects(resp, max)
	}
	body, isText := resp.(string)
	if !isText {
		if o, ok := resp.(*value.Object); ok {
			// A whole GetObject response, as an aws-sdk call would give it.
			if b, ok := o.Get("Body"); ok {
				body, isText = b.(string)
			}
		}
	}
	switch r.InputType {
	case "JSON", "":
		if list, ok := resp.([]any); ok && !isText {
			// A handler that printed the file's array rather than its text.
			return limitItems(list, max), nil
		}
		if !isText {
			return nil, bodyNotText(resp)
		}
		return jsonItems(body, max)
	case "JSONL":
		if !isText {
			return nil, bodyNotText(resp)
		}
		return jsonlItems(body, max)
	case "CSV":
		if !isText {
			return nil, bodyNotText(resp)
		}
		return csvItems(body, r.CSVHeaderLocation, r.CSVHeaders, delimiter(r.CSVDelimiter), max)
	}
	return nil, fmt.Errorf("the InputType %s is not supported by the local engine", r.InputType)
}

func isListing(r *asl.ItemReader) bool {
	return strings.HasSuffix(r.Resource, ":listObjectsV2") || strings.HasSuffix(r.Resource, ":listObjects")
}

func bodyNotText(resp value.Value) error {
	return fmt.Errorf("the object's body must come as a JSON string holding the file's text, but was %s: %s",
		value.KindOf(resp), clip(value.String(resp)))
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

func limitItems(list []any, max int64) []any {
	if max > 0 && int64(len(list)) > max {
		return list[:max]
	}
	return list
}

func listedObjects(resp value.Value, max int64) ([]any, error) {
	if list, ok := resp.([]any); ok {
		return limitItems(list, max), nil
	}
	o, ok := resp.(*value.Object)
	if !ok {
		return nil, fmt.Errorf("the listing must be an object with Contents, but was %s: %s", value.KindOf(resp), clip(value.String(resp)))
	}
	c, ok := o.Get("Contents")
	if !ok {
		return []any{}, nil // an empty bucket lists no Contents
	}
	list, ok := c.([]any)
	if !ok {
		return nil, fmt.Errorf("the listing's Contents must be an array, but was %s", value.KindOf(c))
	}
	return limitItems(list, max), nil
}

func jsonItems(body string, max int64) ([]any, error) {
	v, err := value.Parse([]byte(body))
	if err != nil {
		return nil, fmt.Errorf("the object is not valid JSON: %v", err)
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("the object must hold a JSON array, but holds %s", value.KindOf(v))
	}
	return limitItems(list, max), nil
}

// jsonlItems reads one JSON value per line; blank lines are skipped.
func jsonlItems(body string, max int64) ([]any, error) {
	out := []any{}
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(nil, len(body)+1)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if max > 0 && int64(len(out)) >= max {
			break
		}
		v, err := value.Parse(line)
		if err != nil {
			return nil, fmt.Errorf("line %d is not valid JSON: %v", n, err)
		}
		out = append(out, v)
	}
	return out, sc.Err()
}

func delimiter(name string) rune {
	switch name {
	case "PIPE":
		return '|'
	case "SEMICOLON":
		return ';'
	case "SPACE":
		return ' '
	case "TAB":
		return '\t'
	}
	return ','
}

// csvItems makes an object of each row, keyed by the headers. Values stay strings, as
// AWS keeps them; a short row gets "" for its missing fields and a long row loses its
// extra ones. The keys come in sorted order, not the file's: AWS records them so (a
// header row "H1," gives {"":...,"H1":...}).
func csvItems(body, location string, given []string, sep rune, max int64) ([]any, error) {
	rd := csv.NewReader(strings.NewReader(body))
	rd.Comma = sep
	rd.FieldsPerRecord = -1
	rd.ReuseRecord = true // each row is copied into its item
	headers := given
	if location != "GIVEN" {
		first, err := rd.Read()
		if errors.Is(err, io.EOF) {
			return []any{}, nil
		}
		if err != nil {
			return nil, csvError(err)
		}
		headers = append([]string(nil), first...)
	}
	seen := make(map[string]bool, len(headers))
	for _, h := range headers {
		if seen[h] {
			return nil, fmt.Errorf("the CSV header %q appears more than once", h)
		}
		seen[h] = true
	}
	order := make([]int, len(headers)) // the columns, by header
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return headers[order[a]] < headers[order[b]] })
	out := []any{}
	for max <= 0 || int64(len(out)) < max {
		row, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		o := value.NewObject(len(headers))
		for _, i := range order {
			v := ""
			if i < len(row) {
				v = row[i]
			}
			o.Set(headers[i], v)
		}
		out = append(out, o)
	}
	return out, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("the CSV is malformed at line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("the CSV is malformed: %v", err)
}
