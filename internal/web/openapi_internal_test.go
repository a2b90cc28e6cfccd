package web

import (
	"encoding/json"
	"strings"
	"testing"
)

// Every /api/v1 route the server answers is described in the OpenAPI document,
// with its method, so a client generated from it can reach everything.
func TestEveryAPIRouteIsDocumented(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	routes := (&Server{}).apiRouteList()
	if len(routes) == 0 {
		t.Fatal("no API routes")
	}
	for _, rt := range routes {
		ops, ok := doc.Paths[rt.path]
		if !ok {
			t.Errorf("%s %s is served but not in openapi.json", rt.method, rt.path)
			continue
		}
		if _, ok := ops[strings.ToLower(rt.method)]; !ok {
			t.Errorf("%s %s: openapi.json documents the path but not the method", rt.method, rt.path)
		}
	}
}
