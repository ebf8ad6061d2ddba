package asl

import (
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/template"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// ItemReader is a distributed Map's source of items: a call of Resource (an S3 read)
// whose response the engine turns into items as ReaderConfig says.
type ItemReader struct {
	Resource   string
	Parameters *template.Template // JSONPath
	Arguments  *template.Template // JSONata
	// InputType is JSON, JSONL, CSV or MANIFEST; empty for a listing
	// (s3:listObjectsV2), whose items are the objects it lists.
	InputType         string
	CSVHeaderLocation string // FIRST_ROW (the default) or GIVEN
	CSVHeaders        []string
	CSVDelimiter      string // COMMA (the default), PIPE, SEMICOLON, SPACE or TAB
	MaxItems          IntOrPath
	// Source is the field as written.
	Source *value.Object
}

// ResultWriter is where a distributed Map writes its results instead of returning
// them: a call of Resource (s3:putObject) with a bucket and prefix.
type ResultWriter struct {
	Resource   string
	Parameters *template.Template // JSONPath
	Arguments  *template.Template // JSONata
	Source     *value.Object
}

var (
	itemReaderFields   = fieldSet("Resource", "Parameters", "Arguments", "ReaderConfig")
	readerConfigFields = fieldSet("InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "MaxItems", "MaxItemsPath",
		"ManifestType", "ItemsPointer")
	resultWriterFields = fieldSet("Resource", "Parameters", "Arguments", "WriterConfig")
)

// The values AWS accepts for the enumerated ReaderConfig fields.
var (
	inputTypes      = []string{"CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"}
	headerLocations = []string{"FIRST_ROW", "GIVEN"}
	csvDelimiters   = []string{"COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"}
)

func (p *parser) itemReader(st *State, obj *value.Object) {
	o := p.rawObject(obj, st.Location, "ItemReader")
	if o == nil {
		return
	}
	loc := pointer(st.Location, "ItemReader")
	p.checkFields(o, loc, itemReaderFields)
	if !p.required(o, loc, "Resource") {
		return
	}
	r := &ItemReader{Resource: p.str(o, loc, "Resource"), Source: o}
	if st.IsJSONata() {
		r.Arguments = p.jtemplate(o, loc, "Arguments")
	} else {
		r.Parameters = p.template(o, loc, "Parameters")
	}
	if c := p.rawObject(o, loc, "ReaderConfig"); c != nil {
		cl := pointer(loc, "ReaderConfig")
		p.checkFields(c, cl, readerConfigFields)
		r.InputType = p.oneOf(c, cl, "InputType", inputTypes)
		r.CSVHeaderLocation = p.oneOf(c, cl, "CSVHeaderLocation", headerLocations)
		r.CSVDelimiter = p.oneOf(c, cl, "CSVDelimiter", csvDelimiters)
		if v, ok := c.Get("CSVHeaders"); ok {
			list, isList := v.([]any)
			for _, h := range list {
				s, isText := h.(string)
				if !isText {
					isList = false
					break
				}
				r.CSVHeaders = append(r.CSVHeaders, s)
			}
			if !isList {
				p.fail(pointer(cl, "CSVHeaders"), "The field 'CSVHeaders' must be an array of strings")
			}
		}
		if r.CSVHeaderLocation == "GIVEN" && !c.Has("CSVHeaders") {
			p.fail(cl, "These fields are required: [CSVHeaders] when CSVHeaderLocation is GIVEN")
		}
		r.MaxItems = p.intOrPath(c, cl, "MaxItems", 0, 100000000)
	}
	st.ItemReader = r
}

func (p *parser) resultWriter(st *State, obj *value.Object) {
	o := p.rawObject(obj, st.Location, "ResultWriter")
	if o == nil {
		return
	}
	loc := pointer(st.Location, "ResultWriter")
	p.checkFields(o, loc, resultWriterFields)
	w := &ResultWriter{Resource: p.str(o, loc, "Resource"), Source: o}
	if st.IsJSONata() {
		w.Arguments = p.jtemplate(o, loc, "Arguments")
	} else {
		w.Parameters = p.template(o, loc, "Parameters")
	}
	st.ResultWriter = w
}

// oneOf reads an optional string field that takes one of a few values.
func (p *parser) oneOf(o *value.Object, loc, key string, allowed []string) string {
	if !o.Has(key) {
		return ""
	}
	s := p.str(o, loc, key)
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	p.fail(pointer(loc, key), "The field '%s' should have one of these values: [%s]", key, strings.Join(allowed, ", "))
	return s
}
