namespace Slipway.Release.Tests.Integration;

/// <summary>
/// A small hardened chart (Deployment, Service, ServiceAccount, values schema) written into a temp directory.
/// Breakages are injected as text edits of a template, the way a reviewer's finding would have been introduced.
/// </summary>
internal static class ThrowawayChart
{
    public const string Name = "probe";

    private const string ChartYaml = """
        apiVersion: v2
        name: probe
        description: Throwaway chart for Slipway's chart gate tests
        type: application
        version: 0.1.0
        appVersion: "1.0.0"
        """;

    private const string Values = """
        replicaCount: 1
        image:
          repository: registry.example/team/probe
          tag: "1.0.0"
        podSecurityContext:
          runAsNonRoot: true
          runAsUser: 10001
          seccompProfile:
            type: RuntimeDefault
        """;

    private const string Schema = """
        {
          "$schema": "https://json-schema.org/draft-07/schema#",
          "type": "object",
          "required": ["replicaCount", "image"],
          "properties": {
            "replicaCount": { "type": "integer", "minimum": 1 },
            "image": {
              "type": "object",
              "required": ["repository", "tag"],
              "properties": { "repository": { "type": "string" }, "tag": { "type": "string" } }
            }
          }
        }
        """;

    private const string ServiceAccount = """
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: {{ .Release.Name }}-probe
        automountServiceAccountToken: false
        """;

    private const string Service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: {{ .Release.Name }}-probe
        spec:
          selector:
            app.kubernetes.io/name: probe
            app.kubernetes.io/instance: {{ .Release.Name }}
          ports:
            - name: http
              port: 80
              targetPort: http
        """;

    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .Release.Name }}-probe
        spec:
          replicas: {{ .Values.replicaCount }}
          selector:
            matchLabels:
              app.kubernetes.io/name: probe
              app.kubernetes.io/instance: {{ .Release.Name }}
          template:
            metadata:
              labels:
                app.kubernetes.io/name: probe
                app.kubernetes.io/instance: {{ .Release.Name }}
            spec:
              serviceAccountName: {{ .Release.Name }}-probe
              securityContext:
                {{- toYaml .Values.podSecurityContext | nindent 8 }}
              containers:
                - name: probe
                  image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
                  ports:
                    - name: http
                      containerPort: 8080
                  securityContext:
                    allowPrivilegeEscalation: false
                    readOnlyRootFilesystem: true
                    capabilities:
                      drop: [ALL]
                  resources:
                    requests:
                      cpu: 50m
                      memory: 64Mi
                    limits:
                      memory: 128Mi
                  livenessProbe:
                    httpGet:
                      path: /healthz
                      port: http
                  readinessProbe:
                    httpGet:
                      path: /ready
                      port: http
                  volumeMounts:
                    - name: tmp
                      mountPath: /tmp
              volumes:
                - name: tmp
                  emptyDir: {}
        """;

    /// <summary>Writes the chart under <paramref name="parent"/> and returns its directory.</summary>
    /// <param name="edit">Applied to each template's text, keyed by file name, to inject one breakage.</param>
    /// <param name="version">The chart's version in Chart.yaml.</param>
    public static string Create(string parent, Func<string, string, string>? edit = null, string version = "0.1.0")
    {
        var chart = Path.Combine(parent, Name);
        var templates = Directory.CreateDirectory(Path.Combine(chart, "templates")).FullName;
        File.WriteAllText(Path.Combine(chart, "Chart.yaml"), ChartYaml.Replace("version: 0.1.0", $"version: {version}", StringComparison.Ordinal) + "\n");
        File.WriteAllText(Path.Combine(chart, "values.yaml"), Values + "\n");
        File.WriteAllText(Path.Combine(chart, "values.schema.json"), Schema + "\n");
        foreach (var (file, text) in new[] { ("serviceaccount.yaml", ServiceAccount), ("service.yaml", Service), ("deployment.yaml", Deployment) })
            File.WriteAllText(Path.Combine(templates, file), (edit?.Invoke(file, text) ?? text) + "\n");
        return chart;
    }

    /// <summary>An edit that replaces <paramref name="find"/> in <paramref name="file"/>, failing the test if the template lacks it.</summary>
    public static Func<string, string, string> Replace(string file, string find, string replace) => (name, text) =>
    {
        if (name != file)
            return text;
        Assert.Contains(find, text);
        return text.Replace(find, replace, StringComparison.Ordinal);
    };
}
