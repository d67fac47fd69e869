// The reference side of helm-drift's YAML differential test: sigs.k8s.io/yaml and go-yaml v2 at the versions
// the helm and kube-apiserver builds of test/cluster use.
module helm-drift/test/yaml-differential

go 1.22

require sigs.k8s.io/yaml v1.6.0

require go.yaml.in/yaml/v2 v2.4.4 // indirect
