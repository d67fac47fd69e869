// Command yamlconv converts YAML documents to JSON exactly as Helm and kubectl do, with sigs.k8s.io/yaml's
// YAMLToJSON (go-yaml v2 underneath). It is the reference side of helm-drift's YAML differential test
// (test/e2e/yaml-differential.test.ts).
//
// Input on stdin: a JSON array of strings, each one YAML document. Output on stdout: a JSON array with, for
// each document, {"json": <what YAMLToJSON returned>} or {"error": true} when YAMLToJSON failed.
package main

import (
	"encoding/json"
	"os"

	"sigs.k8s.io/yaml"
)

type result struct {
	JSON  json.RawMessage `json:"json,omitempty"`
	Error bool            `json:"error,omitempty"`
}

func main() {
	var documents []string
	if err := json.NewDecoder(os.Stdin).Decode(&documents); err != nil {
		os.Stderr.WriteString("yamlconv: stdin is not a JSON array of strings: " + err.Error() + "\n")
		os.Exit(2)
	}
	results := make([]result, len(documents))
	for i, document := range documents {
		converted, err := yaml.YAMLToJSON([]byte(document))
		if err != nil {
			results[i] = result{Error: true}
		} else {
			results[i] = result{JSON: converted}
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		os.Stderr.WriteString("yamlconv: " + err.Error() + "\n")
		os.Exit(1)
	}
}
