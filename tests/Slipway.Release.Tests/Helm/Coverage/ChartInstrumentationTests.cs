using Slipway.Release.Helm.Coverage;

namespace Slipway.Release.Tests.Helm.Coverage;

public sealed class ChartInstrumentationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private ChartInstrumentation Plan(string template, string file = "t.yaml", string? notes = null)
    {
        var chart = _temp.Combine("chart");
        Directory.CreateDirectory(Path.Combine(chart, "templates"));
        File.WriteAllText(Path.Combine(chart, "Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n");
        File.WriteAllText(Path.Combine(chart, "templates", file), template);
        if (notes is not null)
            File.WriteAllText(Path.Combine(chart, "templates", "NOTES.txt"), notes);
        return ChartInstrumentation.Plan(chart);
    }

    private string Instrumented(ChartInstrumentation plan, string file = "t.yaml")
    {
        var copy = _temp.Combine("copy");
        plan.WriteCopy(copy, null);
        return File.ReadAllText(Path.Combine(copy, "templates", file));
    }

    [Fact]
    public void A_body_on_new_lines_gets_a_comment_line_at_the_indentation_of_its_first_line()
    {
        var plan = Plan("spec:\n  {{- if .a }}\n  tls: true\n  {{- end }}\n");

        var marker = Assert.Single(plan.Markers);
        Assert.Equal(MarkerStyle.Line, marker.Style);
        Assert.Equal("spec:\n  {{- if .a }}{{ \"\\n  #SLWCOV1Z\" }}\n  tls: true\n  {{- end }}\n", Instrumented(plan));
    }

    [Fact]
    public void An_inline_body_gets_the_bare_token()
    {
        var plan = Plan("value: {{ if .x }}a{{ else }}b{{ end }}\n");

        Assert.All(plan.Markers, marker => Assert.Equal(MarkerStyle.Inline, marker.Style));
        Assert.Equal("value: {{ if .x }}{{ \"SLWCOV1Z\" }}a{{ else }}{{ \"SLWCOV2Z\" }}b{{ end }}\n", Instrumented(plan));
    }

    [Fact]
    public void After_a_right_trim_the_marker_goes_past_the_trimmed_whitespace()
    {
        var plan = Plan("{{- define \"n\" -}}\n{{- if .a -}}\n  x\n{{- end }}\n{{- end }}\n", "_helpers.tpl");

        Assert.Equal(MarkerStyle.Inline, Assert.Single(plan.Markers).Style);
        Assert.Contains("{{- if .a -}}\n  {{ \"SLWCOV1Z\" }}x", Instrumented(plan, "_helpers.tpl"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_that_starts_with_nindent_output_gets_a_comment_line_at_the_action_indentation()
    {
        var plan = Plan("  annotations:\n    {{- with .Values.a }}\n    {{- toYaml . | nindent 4 }}\n    {{- end }}\n");

        var marker = Assert.Single(plan.Markers);
        Assert.Equal(MarkerStyle.Line, marker.Style);
        Assert.Equal("    ", marker.Indent);
    }

    [Fact]
    public void A_helper_body_whose_text_is_all_trimmed_gets_the_bare_token()
    {
        var plan = Plan("{{- define \"sa\" -}}\n{{- if .a }}\n{{- default \"x\" .b }}\n{{- else }}\n{{- .b }}\n{{- end }}\n{{- end }}\n", "_helpers.tpl");

        Assert.All(plan.Markers, marker => Assert.Equal(MarkerStyle.Inline, marker.Style));
    }

    [Fact]
    public void Only_the_enabled_markers_are_written()
    {
        var plan = Plan("value: {{ if .x }}a{{ else }}b{{ end }}\n");
        var copy = _temp.Combine("some");

        plan.WriteCopy(copy, new HashSet<int> { 2 });

        Assert.Equal("value: {{ if .x }}a{{ else }}{{ \"SLWCOV2Z\" }}b{{ end }}\n", File.ReadAllText(Path.Combine(copy, "templates", "t.yaml")));
    }

    [Fact]
    public void Notes_are_rendered_into_a_document_of_their_own_in_every_copy()
    {
        var plan = Plan("a: 1\n", notes: "Hello{{ if .Values.x }} x{{ end }}\n");
        var copy = _temp.Combine("baseline");

        plan.WriteCopy(copy, new HashSet<int>());

        Assert.False(File.Exists(Path.Combine(copy, "templates", "NOTES.txt")));
        Assert.Contains("define \"slwcov.notes\"", File.ReadAllText(Path.Combine(copy, "templates", "_slwcov-notes.tpl")), StringComparison.Ordinal);
        Assert.Contains("indent 2", File.ReadAllText(Path.Combine(copy, "templates", "slwcov-notes.yaml")), StringComparison.Ordinal);
        Assert.Equal("templates/NOTES.txt", Assert.Single(plan.Markers).Branch.File);
    }

    [Fact]
    public void The_alternate_form_of_an_inline_marker_is_a_comment_line_at_the_opening_indentation_and_is_written_on_request()
    {
        var plan = Plan("data:\n  x: \"q\"\n  {{- if .a }}\n  {{- printf \"\\n  y: z\" }}\n  {{- end }}\n");
        var marker = Assert.Single(plan.Markers);
        var copy = _temp.Combine("alternate");

        plan.WriteCopy(copy, new HashSet<int>(), alternate: new HashSet<int> { marker.Id });

        Assert.Equal(MarkerStyle.Inline, marker.Style);
        Assert.Equal((MarkerStyle.Line, "  "), (marker.Alternate.Style, marker.Alternate.Indent));
        Assert.Contains("{{- if .a }}{{ \"\\n  #SLWCOV1Z\" }}", File.ReadAllText(Path.Combine(copy, "templates", "t.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void Strip_removes_both_forms_and_reports_the_ids_seen()
    {
        var (stripped, seen) = ChartInstrumentation.Strip("# Source: c/t.yaml\n    #SLWCOV3Z\nkey: SLWCOV12ZSLWCOV4Zvalue\n  #SLWCOV5Z");

        Assert.Equal("# Source: c/t.yaml\nkey: value", stripped);
        Assert.Equal(new HashSet<int> { 3, 4, 5, 12 }, seen);
    }

    [Fact]
    public void A_marker_mangled_by_quote_is_seen_but_does_not_strip_cleanly()
    {
        var (stripped, seen) = ChartInstrumentation.Strip("image: \"\\n  #SLWCOV1Zrepo\"");

        Assert.Contains(1, seen);
        Assert.NotEqual("image: \"repo\"", stripped);
    }
}
