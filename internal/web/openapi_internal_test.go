package web

import (
	"encoding/json"
	"net/http/httptest"
	"net/netip"
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

// And the other way: every operation the document describes is served, so a
// client built from it never meets a 404 the document promised away.
func TestEveryDocumentedOperationIsServed(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{"GET /api/v1/openapi.json": true} // served by apiRoutes itself
	for _, rt := range (&Server{}).apiRouteList() {
		served[rt.method+" "+rt.path] = true
	}
	methods := map[string]bool{"get": true, "put": true, "post": true, "delete": true, "patch": true, "head": true, "options": true}
	for path, ops := range doc.Paths {
		for m := range ops {
			if methods[m] && !served[strings.ToUpper(m)+" "+path] {
				t.Errorf("openapi.json documents %s %s, which is not served", strings.ToUpper(m), path)
			}
		}
	}
}

// Behind a load balancer the person's address comes from X-Forwarded-For, but
// only when the connection is from a trusted proxy, and never from the hops a
// client could have written itself.
func TestClientAddressBelievesOnlyTrustedProxies(t *testing.T) {
	s := &Server{cfg: Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}}
	cases := []struct {
		remote, xff, want string
	}{
		{"203.0.113.9:5000", "", "203.0.113.9"},
		{"203.0.113.9:5000", "1.2.3.4", "203.0.113.9"},              // not a proxy: header ignored
		{"10.0.0.5:5000", "198.51.100.7", "198.51.100.7"},           // the balancer says who
		{"10.0.0.5:5000", "6.6.6.6, 198.51.100.7", "198.51.100.7"},  // the client's own claim is ignored
		{"10.0.0.5:5000", "198.51.100.7, 10.0.0.9", "198.51.100.7"}, // two proxies
		{"10.0.0.5:5000", "", "10.0.0.5"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := s.clientIP(r); got != c.want {
			t.Errorf("remote %s, X-Forwarded-For %q: %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
}
