// The Go oracle of the go-template engine tests: real text/template with Sprig, set up as Argo CD's
// ApplicationSet controller does (sprig's function map minus env and expandenv, plus Argo CD's normalize).
//
// Reads a JSON list of cases from stdin: {"template", "data", "options"?, "stringMaps"?}; "options" are
// template.Option strings (["missingkey=error"]), "stringMaps" are paths (lists of keys) in data whose maps
// are converted to map[string]string (cluster labels and annotations are that type in Argo CD). Writes a
// JSON list of results: {"output"} or {"error"}, and "invalidUtf8": true when the output is not valid UTF-8.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/Masterminds/sprig"
)

type testCase struct {
	Template   string          `json:"template"`
	Data       json.RawMessage `json:"data"`
	Options    []string        `json:"options"`
	StringMaps [][]string      `json:"stringMaps"`
}

type result struct {
	Output      *string `json:"output,omitempty"`
	Error       *string `json:"error,omitempty"`
	InvalidUTF8 bool    `json:"invalidUtf8,omitempty"`
}

var invalidDNSNameChars = regexp.MustCompile("[^-a-z0-9.]")

// sanitizeName is Argo CD's utils.SanitizeName (the normalize function).
func sanitizeName(name string) string {
	name = strings.ToLower(name)
	name = invalidDNSNameChars.ReplaceAllString(name, "-")
	if len(name) > 253 {
		name = name[:253]
	}
	return strings.Trim(name, "-.")
}

func funcMap() template.FuncMap {
	m := sprig.TxtFuncMap()
	delete(m, "env")
	delete(m, "expandenv")
	delete(m, "getHostByName")
	m["normalize"] = sanitizeName
	return m
}

func toStringMap(data interface{}, path []string) {
	if len(path) == 0 {
		return
	}
	parent, ok := data.(map[string]interface{})
	if !ok {
		return
	}
	key := path[0]
	if len(path) > 1 {
		toStringMap(parent[key], path[1:])
		return
	}
	if m, ok := parent[key].(map[string]interface{}); ok {
		sm := map[string]string{}
		for k, v := range m {
			sm[k] = fmt.Sprint(v)
		}
		parent[key] = sm
	}
}

func run(c testCase) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	var data interface{}
	if len(c.Data) > 0 {
		if err := json.Unmarshal(c.Data, &data); err != nil {
			return "", fmt.Errorf("bad data: %w", err)
		}
	}
	for _, p := range c.StringMaps {
		toStringMap(data, p)
	}
	t, err := template.New("").Funcs(funcMap()).Option(c.Options...).Parse(c.Template)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return "", err
	}
	return buf.String(), nil
}

func main() {
	var cases []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, "go-oracle: cannot read cases:", err)
		os.Exit(2)
	}
	results := make([]result, len(cases))
	for i, c := range cases {
		out, err := run(c)
		if err != nil {
			msg := err.Error()
			results[i].Error = &msg
		} else {
			results[i].Output = &out
			results[i].InvalidUTF8 = !utf8.ValidString(out)
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "go-oracle:", err)
		os.Exit(2)
	}
}
