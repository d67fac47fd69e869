{{- define "generated.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
A password kept across upgrades: the live Secret's value when there is one, else a new random one
(the shape of bitnami's common.secrets.passwords.manage).
*/}}
{{- define "generated.password" -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (printf "%s-kept" (include "generated.fullname" .)) -}}
{{- if and $existing $existing.data (index $existing.data "password") -}}
{{- index $existing.data "password" -}}
{{- else -}}
{{- randAlphaNum 20 | b64enc -}}
{{- end -}}
{{- end -}}
