namespace Slipway.Release.Tests.Helm;

/// <summary>A small chart written into a temp folder, laid out and commented like a real one.</summary>
internal sealed class TestChart : IDisposable
{
    public const string ChartYaml = """
        apiVersion: v2
        name: demo
        description: A demo chart.
        type: application
        # version and appVersion are stamped by the release pipeline.
        version: 0.1.0 # placeholder
        appVersion: "0.1.0"
        keywords:
          - demo
        """;

    public const string ValuesYaml = """
        # Default values for demo.
        replicaCount: 1

        image:
          # Fully qualified repository, without tag or digest.
          repository: registry.example.invalid/demo
          # Tag used when no digest is set.
          tag: "0.1.0"
          # sha256:<64 hex>; pinned by the pipeline.
          digest: ""   # empty: use the tag
          pullPolicy: IfNotPresent

        sidecar:
          image:
            repository: registry.example.invalid/sidecar
            digest: ""

        service:
          port: 80
        """;

    public const string Template = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}-demo
        data:
          image: "{{ .Values.image.repository }}@{{ .Values.image.digest }}"
          version: {{ .Chart.AppVersion | quote }}
        """;

    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("slipway-chart-");

    public TestChart(string chartYaml = ChartYaml, string valuesYaml = ValuesYaml)
    {
        Directory = Path.Combine(_root.FullName, "demo");
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "templates"));
        File.WriteAllText(Path.Combine(Directory, "Chart.yaml"), chartYaml + "\n");
        File.WriteAllText(Path.Combine(Directory, "values.yaml"), valuesYaml + "\n");
        File.WriteAllText(Path.Combine(Directory, "templates", "configmap.yaml"), Template + "\n");
        File.WriteAllText(Path.Combine(Directory, ".helmignore"), "# patterns to ignore\n*.bak\nnotes/\n");
    }

    public string Root => _root.FullName;

    public string Directory { get; }

    public string NewPath(string name) => Path.Combine(_root.FullName, name);

    public void Dispose() => _root.Delete(recursive: true);
}
