{{/*
Shared helpers. Object names are "<namePrefix><component>" (control-api, gateway, postgres,
nats, ...): the Origan services address each other by these short names, so one release
per namespace is the norm; set namePrefix to install a second one beside it.
*/}}

{{/* The chart name, for the app.kubernetes.io/name label. */}}
{{- define "origan.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* chart label value: name-version. */}}
{{- define "origan.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Name of a component's objects. Call with (dict "ctx" $ "component" "control-api").
*/}}
{{- define "origan.componentName" -}}
{{- printf "%s%s" .ctx.Values.namePrefix .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels shared by every object. */}}
{{- define "origan.labels" -}}
helm.sh/chart: {{ include "origan.chart" . }}
app.kubernetes.io/name: {{ include "origan.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: origan
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
Selector labels of a component; these never change between chart versions.
Call with (dict "ctx" $ "component" "gateway").
*/}}
{{- define "origan.selectorLabels" -}}
app.kubernetes.io/name: {{ include "origan.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Full labels of a component: common labels plus the component. */}}
{{- define "origan.componentLabels" -}}
{{ include "origan.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/*
Image reference. Call with (dict "ctx" $ "image" .Values.controlApi.image);
global.imageRegistry wins over the image's own registry, an empty tag means the appVersion.
*/}}
{{- define "origan.image" -}}
{{- $registry := .ctx.Values.global.imageRegistry | default .image.registry -}}
{{- $tag := .image.tag | default .ctx.Chart.AppVersion | toString -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" $registry .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "origan.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "origan.componentName" (dict "ctx" . "component" "origan")) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The domain deployed sites live under: deployDomain, or app.<baseDomain>. */}}
{{- define "origan.deployDomain" -}}
{{- .Values.deployDomain | default (printf "app.%s" .Values.baseDomain) -}}
{{- end -}}

{{/* Host of an Ingress group: <subdomain>.<baseDomain>. Call with (dict "ctx" $ "group" "controlApi"). */}}
{{- define "origan.host" -}}
{{- printf "%s.%s" (index .ctx.Values.ingress.subdomains .group) .ctx.Values.baseDomain -}}
{{- end -}}

{{/*
TLS secret of an Ingress group: the configured name or <prefix><component>-tls.
Call with (dict "ctx" $ "group" "controlApi" "component" "control-api").
*/}}
{{- define "origan.tlsSecretName" -}}
{{- $configured := index .ctx.Values.ingress.tls.secretNames .group -}}
{{- $fallback := printf "%s-tls" (include "origan.componentName" (dict "ctx" .ctx "component" .component)) -}}
{{- $configured | default $fallback -}}
{{- end -}}

{{/* Secret holding the Control API's secrets (DATABASE_URL, JWT_SECRET, GitHub secrets). */}}
{{- define "origan.controlApi.secretName" -}}
{{- .Values.secrets.existingSecret | default (include "origan.componentName" (dict "ctx" . "component" "control-api")) -}}
{{- end -}}

{{/* Secret holding the PostgreSQL credentials. */}}
{{- define "origan.postgres.secretName" -}}
{{- .Values.postgres.auth.existingSecret | default (include "origan.componentName" (dict "ctx" . "component" "postgres")) -}}
{{- end -}}

{{/* Host of the read-write PostgreSQL service (the StatefulSet's Service, or CloudNativePG's -rw). */}}
{{- define "origan.postgres.host" -}}
{{- if eq .Values.postgres.mode "cloudnativepg" -}}
{{- printf "%s-rw" (include "origan.componentName" (dict "ctx" . "component" "postgres")) -}}
{{- else -}}
{{- include "origan.componentName" (dict "ctx" . "component" "postgres") -}}
{{- end -}}
{{- end -}}

{{/* The NATS client URL. */}}
{{- define "origan.nats.url" -}}
{{- printf "nats://%s:4222" (include "origan.componentName" (dict "ctx" . "component" "nats")) -}}
{{- end -}}

{{/* Whether the CloudNativePG API is served (the Cluster is rendered only then). */}}
{{- define "origan.postgres.cnpgAvailable" -}}
{{- if and (eq .Values.postgres.mode "cloudnativepg") (.Capabilities.APIVersions.Has "postgresql.cnpg.io/v1") -}}
true
{{- end -}}
{{- end -}}

{{/* Pod-level security context (non-root). */}}
{{- define "origan.podSecurityContext" -}}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}

{{/* Container-level security context: no privilege escalation, no capabilities. */}}
{{- define "origan.containerSecurityContext" -}}
securityContext:
  {{- toYaml .Values.containerSecurityContext | nindent 2 }}
{{- end -}}

{{/*
HTTP liveness and readiness probes on a named port. Call with (dict "path" "/health" "port" "http").
*/}}
{{- define "origan.httpProbes" -}}
livenessProbe:
  httpGet:
    path: {{ .path }}
    port: {{ .port }}
  initialDelaySeconds: 10
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 6
readinessProbe:
  httpGet:
    path: {{ .path }}
    port: {{ .port }}
  initialDelaySeconds: 3
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 3
{{- end -}}


{{/* Env entries (Control API, Runner) for the bucket credentials, from the platform's MinIO Secret. */}}
{{- define "origan.bucketEnv" -}}
- name: BUCKET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.bucket.credentials.existingSecret }}
      key: {{ .Values.bucket.credentials.accessKeyKey }}
- name: BUCKET_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.bucket.credentials.existingSecret }}
      key: {{ .Values.bucket.credentials.secretKeyKey }}
{{- end -}}
