using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using Version = System.Version;

namespace Slipway.Release.Manifests;

/// <summary>
/// Validates rendered manifests strictly against the Kubernetes API types: unknown fields, wrong types, unknown
/// kinds and apiVersions the target Kubernetes version no longer serves. Works document by document, so every
/// problem can name the object it belongs to even when that object does not parse.
/// </summary>
public static partial class ManifestValidator
{
    /// <summary>A render with the kinds and fields charts use most, for <see cref="Prepare"/>.</summary>
    private const string SampleRender = """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: sample}
        automountServiceAccountToken: false
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: sample}
        data: {A: "1"}
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: sample}
        spec: {minAvailable: 1, selector: {matchLabels: {app: sample}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: sample}
        spec:
          podSelector: {matchLabels: {app: sample}}
          policyTypes: [Ingress]
          ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}, {podSelector: {}}], ports: [{port: 8080, protocol: TCP}]}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: sample}
        spec:
          tls: [{hosts: [sample.example], secretName: sample-tls}]
          rules: [{host: sample.example, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: sample, port: {number: 80}}}}]}}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: sample, labels: {app: sample}}
        spec:
          selector: {app: sample}
          ports: [{name: http, port: 80, targetPort: http, protocol: TCP}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: sample, labels: {app: sample}, annotations: {checksum/config: "0"}}
        spec:
          replicas: 1
          strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}
          selector: {matchLabels: {app: sample}}
          template:
            metadata: {labels: {app: sample}}
            spec:
              securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}
              containers:
                - name: sample
                  image: registry.example.invalid/sample:1.0.0
                  ports: [{name: http, containerPort: 8080, protocol: TCP}]
                  env: [{name: A, value: "1"}, {name: B, valueFrom: {secretKeyRef: {name: s, key: k}}}]
                  envFrom: [{configMapRef: {name: sample}}]
                  livenessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 10}
                  resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 128Mi}}
                  securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
                  volumeMounts: [{name: tmp, mountPath: /tmp}]
              volumes: [{name: tmp, emptyDir: {}}]
        """;

    /// <summary>
    /// Validates a small built-in render once, so the parser is built and its code compiled before the first real render
    /// (~80 ms on first use). Started while helm renders, that work runs on a core the helm processes leave free.
    /// </summary>
    public static void Prepare() => Validate(SampleRender, "(prepare)");

    /// <param name="renderedYaml">Multi-document YAML, typically the output of helm template.</param>
    /// <param name="sourceName">Names the render in messages when a document carries no <c># Source:</c> comment.</param>
    /// <param name="kubeVersion">The Kubernetes version the manifests must run on; null skips the removed-API check.</param>
    public static ManifestValidationResult Validate(string renderedYaml, string sourceName, Version? kubeVersion = null)
    {
        var objects = new List<RenderedObject>();
        var problems = new List<ManifestProblem>();

        var stream = new YamlStream();
        var parser = new DocumentEndRecorder(new Parser(new StringReader(renderedYaml)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException exception)
        {
            problems.Add(new ManifestProblem(sourceName, (int)exception.Start.Line, "(render)", null, $"not valid YAML: {exception.Message}"));
            return new ManifestValidationResult(objects, problems);
        }

        var documentEnds = parser.Ends;
        var previousEnd = 0;
        for (var index = 0; index < stream.Documents.Count; index++)
        {
            var root = stream.Documents[index].RootNode;
            var start = (int)root.Start.Index;
            if (root is YamlScalarNode { Value: null or "" })
                continue; // Templates switched off by values render as empty documents.
            var text = renderedYaml[start..documentEnds[index]];
            var file = SourceComment(renderedYaml[previousEnd..start]) ?? sourceName;
            previousEnd = documentEnds[index];

            var (parsed, documentProblems) = ValidateDocument(root, text, file, kubeVersion);
            if (parsed is not null)
                objects.Add(parsed);
            problems.AddRange(documentProblems);
        }

        return new ManifestValidationResult(objects, problems);
    }

    private static (RenderedObject? Object, IReadOnlyList<ManifestProblem> Problems) ValidateDocument(YamlNode root, string text, string file, Version? kubeVersion)
    {
        var line = (int)root.Start.Line;
        if (root is not YamlMappingNode mapping)
            return (null, [new ManifestProblem(file, line, "(document)", null, "is not a mapping, so not a Kubernetes object")]);

        var apiVersion = Scalar(mapping, "apiVersion");
        var kind = Scalar(mapping, "kind");
        var name = (mapping.Children.TryGetValue("metadata", out var metadata) && metadata is YamlMappingNode meta ? Scalar(meta, "name") : null) ?? "(unnamed)";
        var display = $"{kind ?? "(no kind)"}/{name}";
        if (apiVersion is null || kind is null)
            return (null, [new ManifestProblem(file, line, display, apiVersion is null ? "apiVersion" : "kind", "is missing")]);

        var removed = RemovedApis.Find(apiVersion, kind);
        if (removed is not null && kubeVersion is not null && kubeVersion >= removed.RemovedIn)
        {
            return (null, [new ManifestProblem(file, line, display, "apiVersion",
                $"{apiVersion} {kind} was removed in Kubernetes {removed.RemovedIn.ToString(2)} (target {kubeVersion.ToString(2)}); use {removed.Replacement}")]);
        }

        var type = KubernetesObjectReader.ModelType(apiVersion, kind);
        if (type is null)
        {
            var hint = removed is null ? string.Empty : $" (removed in Kubernetes {removed.RemovedIn.ToString(2)}; use {removed.Replacement})";
            return (null, [new ManifestProblem(file, line, display, "apiVersion", $"{apiVersion} {kind} is not a known Kubernetes object type{hint}")]);
        }

        try
        {
            var rendered = new RenderedObject(file, line, kind, name, KubernetesObjectReader.Read(text, type));
            var refused = ApiServerChecks.Check(rendered)
                .Select(violation => new ManifestProblem(file, YamlFieldPath.LineOf(root, violation.Field), display, violation.Field, violation.Message));
            return (rendered, [.. refused]);
        }
        catch (YamlException exception)
        {
            // Positions in the exception are relative to the document's own text; the tree's are relative to the render.
            var errorLine = root.Start.Line + exception.Start.Line - 1;
            var errorColumn = exception.Start.Line == 1 ? root.Start.Column + exception.Start.Column - 1 : exception.Start.Column;
            var field = YamlFieldPath.At(root, (int)errorLine, (int)errorColumn);
            return (null, [new ManifestProblem(file, (int)errorLine, display, field, Explain(exception))]);
        }
    }

    /// <summary>Passes a parser's events on, noting where each document's text ends: the representation model does not record it (a block mapping's end is its start).</summary>
    private sealed class DocumentEndRecorder(IParser parser) : IParser
    {
        public List<int> Ends { get; } = [];

        public ParsingEvent? Current => parser.Current;

        public bool MoveNext()
        {
            var moved = parser.MoveNext();
            if (moved && parser.Current is DocumentEnd end)
                Ends.Add((int)end.Start.Index);
            return moved;
        }
    }

    private static string Explain(YamlException exception)
    {
        var message = exception.Message;
        if (message.StartsWith("No node deserializer", StringComparison.Ordinal))
            message = "value has the wrong type for this field";
        var inner = exception.InnerException?.Message;
        return string.IsNullOrEmpty(inner) ? message : $"{message}: {inner}";
    }

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(key, out var node) && node is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;

    private static string? SourceComment(string between)
    {
        var match = SourcePattern().Match(between);
        return match.Success ? match.Groups["file"].Value.Trim() : null;
    }

    [GeneratedRegex(@"^# Source: (?<file>.+)$", RegexOptions.Multiline | RegexOptions.RightToLeft)]
    private static partial Regex SourcePattern();
}
