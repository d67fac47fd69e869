{{/* Names and labels. */}}
{{- define "helm-drift.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "helm-drift.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Cluster-scoped objects carry the release namespace too: one install per namespace never clashes. */}}
{{- define "helm-drift.clusterName" -}}
{{- printf "%s-%s" .Release.Namespace (include "helm-drift.fullname" .) -}}
{{- end -}}

{{- define "helm-drift.stateConfigMap" -}}
{{- printf "%s-state" (include "helm-drift.fullname" .) | trunc 253 -}}
{{- end -}}

{{- define "helm-drift.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "helm-drift.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "helm-drift.selectorLabels" -}}
app.kubernetes.io/name: {{ include "helm-drift.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "helm-drift.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "helm-drift.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "helm-drift.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* Cluster mode reads every namespace through ClusterRoles; namespaced mode only the listed ones, through Roles. */}}
{{- define "helm-drift.clusterMode" -}}
{{- if empty .Values.namespaces -}}true{{- end -}}
{{- end -}}

{{/*
The namespaced kinds helm-drift reads, as deploy/rbac/helm-drift-readonly.yaml lists them (read its comment):
GET and LIST by resource name, never `*`/`*`, because a wildcard also grants subresources such as pods/log,
pods/proxy and services/proxy, which are not read-only in any useful sense. LIST because a check reads a
namespace's objects of a kind with one LIST when a release renders several of them (src/cluster/batching-
reader.ts; without it, it falls back to one GET each), and Helm's release storage is listed by label.
*/}}
{{- define "helm-drift.namespacedReadRules" -}}
- apiGroups: [""]
  resources:
    - configmaps
    - endpoints
    - limitranges
    - persistentvolumeclaims
    - pods
    - podtemplates
    - replicationcontrollers
    - resourcequotas
    - serviceaccounts
    - services
  verbs: ["get", "list"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list"]
- apiGroups: ["apps"]
  resources: ["controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets"]
  verbs: ["get", "list"]
- apiGroups: ["batch"]
  resources: ["cronjobs", "jobs"]
  verbs: ["get", "list"]
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["get", "list"]
- apiGroups: ["keda.sh"]
  resources: ["scaledobjects"]
  verbs: ["get", "list"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses", "networkpolicies"]
  verbs: ["get", "list"]
- apiGroups: ["discovery.k8s.io"]
  resources: ["endpointslices"]
  verbs: ["get", "list"]
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["rolebindings", "roles"]
  verbs: ["get", "list"]
{{- range .Values.rbac.extraReadRules }}
- apiGroups: {{ toJson .apiGroups }}
  resources: {{ toJson .resources }}
  verbs: {{ toJson (default (list "get" "list") .verbs) }}
{{- end }}
{{- end -}}

{{/* Cluster-scoped kinds charts render, and discovery (GET /api, /apis/…) to map each kind to its resource. */}}
{{- define "helm-drift.clusterScopedReadRules" -}}
- nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/version"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["namespaces", "persistentvolumes"]
  verbs: ["get", "list"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingressclasses"]
  verbs: ["get", "list"]
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["clusterrolebindings", "clusterroles"]
  verbs: ["get", "list"]
- apiGroups: ["admissionregistration.k8s.io"]
  resources:
    - mutatingwebhookconfigurations
    - validatingadmissionpolicies
    - validatingadmissionpolicybindings
    - validatingwebhookconfigurations
  verbs: ["get", "list"]
- apiGroups: ["apiextensions.k8s.io"]
  resources: ["customresourcedefinitions"]
  verbs: ["get", "list"]
- apiGroups: ["apiregistration.k8s.io"]
  resources: ["apiservices"]
  verbs: ["get", "list"]
- apiGroups: ["storage.k8s.io"]
  resources: ["csidrivers", "storageclasses", "volumeattributesclasses"]
  verbs: ["get", "list"]
- apiGroups: ["scheduling.k8s.io"]
  resources: ["priorityclasses"]
  verbs: ["get", "list"]
- apiGroups: ["node.k8s.io"]
  resources: ["runtimeclasses"]
  verbs: ["get", "list"]
- apiGroups: ["flowcontrol.apiserver.k8s.io"]
  resources: ["flowschemas", "prioritylevelconfigurations"]
  verbs: ["get", "list"]
{{- end -}}

{{/* The severities at or above a level, as a PromQL regular expression: high → critical|high. */}}
{{- define "helm-drift.severitiesAtOrAbove" -}}
{{- $order := list "critical" "high" "medium" "low" "info" -}}
{{- $at := list -}}
{{- $done := false -}}
{{- range $order -}}
{{- if not $done -}}{{- $at = append $at . -}}{{- end -}}
{{- if eq . $.level -}}{{- $done = true -}}{{- end -}}
{{- end -}}
{{- join "|" $at -}}
{{- end -}}

{{/* NODE_OPTIONS' heap limit: the value, else three quarters of a memory limit given in Mi or Gi, else nothing. */}}
{{- define "helm-drift.maxOldSpaceSize" -}}
{{- $memory := "" -}}
{{- if and .Values.resources .Values.resources.limits .Values.resources.limits.memory -}}
{{- $memory = toString .Values.resources.limits.memory -}}
{{- end -}}
{{- if gt (int .Values.maxOldSpaceSizeMiB) 0 -}}
{{- int .Values.maxOldSpaceSizeMiB -}}
{{- else if regexMatch "^[0-9]+Mi$" $memory -}}
{{- div (mul (trimSuffix "Mi" $memory | int) 3) 4 -}}
{{- else if regexMatch "^[0-9]+Gi$" $memory -}}
{{- div (mul (trimSuffix "Gi" $memory | int) 3072) 4 -}}
{{- end -}}
{{- end -}}
