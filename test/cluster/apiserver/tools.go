//go:build tools

// Package tools pins the main packages built from this module so that
// `go mod tidy` keeps their dependencies in go.sum:
//
//	go build -o kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver
//	go build -o kubectl k8s.io/kubernetes/cmd/kubectl
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
