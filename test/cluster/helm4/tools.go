//go:build tools

// Package tools pins the helm v4 main package so `go mod tidy` keeps its
// dependencies; build with `go build -o helm helm.sh/helm/v4/cmd/helm`.
package tools

import _ "helm.sh/helm/v4/cmd/helm"
