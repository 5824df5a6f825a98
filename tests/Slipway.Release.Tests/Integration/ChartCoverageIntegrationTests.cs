using Slipway.Processes;
using Slipway.Release.Helm;
using Slipway.Release.Helm.Coverage;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Integration;

/// <summary>Branch coverage with the real helm: helm's own scaffold, the shipped chart, and charts whose markers feed digests.</summary>
[Collection(RealHelmCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ChartCoverageIntegrationTests(RealHelm helm) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private HelmCli Cli => helm.Cli(_temp.Combine("helm-state"));

    private Task<ChartCoverageResult> AnalyzeAsync(string chart) =>
        new ChartCoverageAnalyzer(Cli, new RecordingLog(), "1.31.0", Directory.CreateTempSubdirectory).AnalyzeAsync(chart, ChartCases.Valid(chart));

    private async Task<string> ScaffoldAsync()
    {
        var runner = new ProcessRunner(new RecordingLog(), new SecretRegistry());
        await runner.RunAsync(new ToolCommand(helm.Tool.Path, "create", "scaffold") { WorkingDirectory = _temp.Path, StreamOutput = false });
        return _temp.Combine("scaffold");
    }

    /// <summary>A chart of its own under the temp folder: Chart.yaml, values.yaml and the given templates.</summary>
    private async Task<string> WriteChartAsync(string name, string values, params (string File, string Text)[] templates)
    {
        var chart = _temp.Combine(name);
        Directory.CreateDirectory(Path.Combine(chart, "templates"));
        await File.WriteAllTextAsync(Path.Combine(chart, "Chart.yaml"), $"apiVersion: v2\nname: {name}\nversion: 0.1.0\n");
        await File.WriteAllTextAsync(Path.Combine(chart, "values.yaml"), values);
        foreach (var (file, text) in templates)
            await File.WriteAllTextAsync(Path.Combine(chart, "templates", file), text);
        return chart;
    }

    private static BranchCoverage Branch(ChartCoverageResult result, string file, string branch) =>
        Assert.Single(result.Branches, candidate => candidate.File == file && candidate.Branch == branch);

    [Fact]
    public async Task The_helm_create_scaffold_reports_its_uncovered_branches_by_file_and_line()
    {
        var chart = await ScaffoldAsync();

        var result = await AnalyzeAsync(chart);

        var ingress = Branch(result, "templates/ingress.yaml", "if .Values.ingress.enabled");
        Assert.Equal((1, BranchStatus.NotRendered, "then"), (ingress.Line, ingress.Status, ingress.Side));
        Assert.Equal(BranchStatus.NotRendered, Branch(result, "templates/hpa.yaml", "if .Values.autoscaling.enabled").Status);
        Assert.Equal(BranchStatus.Rendered, Branch(result, "templates/deployment.yaml", "if not .Values.autoscaling.enabled").Status);
        Assert.Equal(["default"], Branch(result, "templates/serviceaccount.yaml", "if .Values.serviceAccount.create").RenderedBy);
        Assert.Equal(BranchStatus.Rendered, Branch(result, "templates/NOTES.txt", "else if contains \"ClusterIP\" .Values.service.type").Status);
        Assert.Equal(0, result.NotMeasurable);
        Assert.InRange(result.Percent, 1, 99);
        Assert.Contains(result.Uncovered, branch => branch.Location == "templates/_helpers.tpl:14" && branch.Side == "then");
    }

    [Fact]
    public async Task A_ci_case_that_enables_ingress_and_autoscaling_raises_the_count()
    {
        var chart = await ScaffoldAsync();
        var before = await AnalyzeAsync(chart);
        Directory.CreateDirectory(Path.Combine(chart, "ci"));
        await File.WriteAllTextAsync(Path.Combine(chart, "ci", "everything-on.yaml"), """
            fullnameOverride: edge
            ingress:
              enabled: true
              className: nginx
              annotations:
                example.test/a: "1"
              tls:
                - secretName: edge-tls
                  hosts: [edge.example.test]
            autoscaling:
              enabled: true
              targetMemoryUtilizationPercentage: 80
            """);

        var after = await AnalyzeAsync(chart);

        Assert.True(after.Rendered > before.Rendered, $"{before.Rendered} -> {after.Rendered}");
        Assert.Equal(["everything-on"], Branch(after, "templates/ingress.yaml", "if .Values.ingress.enabled").RenderedBy);
        Assert.Equal(["everything-on"], Branch(after, "templates/hpa.yaml", "if .Values.autoscaling.targetMemoryUtilizationPercentage").RenderedBy);
        Assert.Equal(["everything-on"], Branch(after, "templates/_helpers.tpl", "if .Values.fullnameOverride").RenderedBy);
        Assert.DoesNotContain(after.Uncovered, branch => branch.Location == "templates/ingress.yaml:1");
    }

    [Fact]
    public async Task Instrumentation_never_changes_the_rendered_output_of_the_shipped_chart()
    {
        var chart = Repository.ShippedChart;
        var plan = ChartInstrumentation.Plan(chart);
        var copy = _temp.Combine("instrumented", "beacon");
        plan.WriteCopy(copy, null);

        var seen = new HashSet<int>();
        foreach (var values in ChartCases.Valid(chart))
        {
            var original = await Cli.TemplateAsync(chart, "release", values.ValuesFile, "1.31.0");
            var (stripped, markers) = ChartInstrumentation.Strip(await Cli.TemplateAsync(copy, "release", values.ValuesFile, "1.31.0"));
            Assert.Equal(original, WithoutNotes(stripped));
            seen.UnionWith(markers);
        }

        Assert.Equal(plan.Markers.Select(marker => marker.Id).Order(), seen.Order());
    }

    [Fact]
    public async Task The_shipped_chart_renders_every_branch_with_its_ci_cases()
    {
        var chart = Repository.ShippedChart;

        var result = await AnalyzeAsync(chart);

        Assert.True(result.Uncovered.Count == 0, string.Join("\n", ChartCoverageReport.ToTable(result)));
        Assert.Equal(0, result.NotMeasurable);
        Assert.Equal(100, result.Percent);
        Assert.Contains(result.Templates, template => template.File == "templates/_helpers.tpl" && template.Total == 4);
    }

    [Fact]
    public async Task A_branch_whose_text_feeds_a_checksum_counts_where_it_shows_and_one_only_hashed_is_not_measurable()
    {
        var chart = await WriteChartAsync(
            "digests",
            "debug: true\nsecret: s3cret\n",
            ("_helpers.tpl", """
                {{- define "digests.salt" -}}
                {{- if .Values.secret }}salted-{{ .Values.secret }}{{ else }}plain{{ end }}
                {{- end }}
                """),
            ("configmap.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: config
                data:
                  {{- if .Values.debug }}
                  LOG: debug
                  {{- end }}
                  TOKEN: {{ include "digests.salt" . | b64enc }}
                """),
            ("deployment.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: app
                  annotations:
                    checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
                spec:
                  containers:
                    - name: app
                      image: "registry.example/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                """));

        var result = await AnalyzeAsync(chart);

        var debug = Branch(result, "templates/configmap.yaml", "if .Values.debug");
        Assert.Equal(BranchStatus.Rendered, debug.Status);
        Assert.Contains("checksum/config", Assert.Single(debug.Notes).Reason);
        var salted = Branch(result, "templates/_helpers.tpl", "if .Values.secret");
        Assert.Equal(BranchStatus.NotMeasurable, salted.Status);
        var reason = Assert.Single(salted.NotMeasurable);
        Assert.Equal("default", reason.Case);
        Assert.Contains("TOKEN:", reason.Reason);
        Assert.Equal(BranchStatus.NotRendered, Branch(result, "templates/_helpers.tpl", "else of if .Values.secret").Status);
    }

    [Fact]
    public async Task A_marker_that_breaks_the_yaml_is_measured_in_its_other_form_and_markers_that_only_interact_still_count()
    {
        var chart = await WriteChartAsync(
            "edges",
            "a: true\nb: true\n",
            ("_helpers.tpl", """
                {{- define "edges.name" -}}
                {{- if .Values.a }}ab{{ end }}{{ if .Values.b }}cd{{ end }}
                {{- end }}
                """),
            ("configmap.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ include "edges.name" . | trunc 12 }}
                data:
                  x: "quoted"
                  {{- if .Values.a }}
                  {{- printf "\n  y: z" }}
                  {{- end }}
                """));

        var result = await AnalyzeAsync(chart);

        // Alone each marker fits in the 12 characters; together they overflow the trunc.
        Assert.Equal(["default"], Branch(result, "templates/_helpers.tpl", "if .Values.a").RenderedBy);
        Assert.Equal(["default"], Branch(result, "templates/_helpers.tpl", "if .Values.b").RenderedBy);
        // The bare token glued after "quoted" breaks the YAML; the comment-line form measures it.
        var glued = Branch(result, "templates/configmap.yaml", "if .Values.a");
        Assert.Equal(BranchStatus.Rendered, glued.Status);
        var note = Assert.Single(glued.Notes).Reason;
        Assert.Contains("measured with a comment-line marker; the other form failed: its marker breaks the render", note);
        Assert.Contains("YAML parse error", note);
        Assert.Equal(100, result.Percent);
    }

    /// <summary>The instrumented copy carries NOTES.txt as a document of its own; the chart's own render does not print notes.</summary>
    private static string WithoutNotes(string rendered)
    {
        var start = rendered.IndexOf("---\n# Source: beacon" + ChartInstrumentation.NotesSourceSuffix, StringComparison.Ordinal);
        Assert.True(start >= 0, "the instrumented render carries the notes document");
        var end = rendered.IndexOf("---\n", start + 4, StringComparison.Ordinal);
        return end < 0 ? rendered[..start] : rendered[..start] + rendered[end..];
    }
}
