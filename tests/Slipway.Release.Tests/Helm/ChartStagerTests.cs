using Slipway.Release.Helm;
using Slipway.Release.Versioning;

namespace Slipway.Release.Tests.Helm;

public sealed class ChartStagerTests : IDisposable
{
    private static readonly string Digest = "sha256:" + new string('e', 64);
    private readonly TestChart _chart = new();

    public void Dispose() => _chart.Dispose();

    private static ChartStamp Stamp(ImagePin? image = null, ImageValuesPaths? paths = null) =>
        new(SemanticVersion.Parse("1.2.4-ci.2.g0123456"), "1.2.4-ci.2.g0123456", image, paths);

    [Fact]
    public void Stamps_version_and_quoted_app_version_keeping_comments()
    {
        var staged = ChartStager.Stage(_chart.Directory, _chart.NewPath("staging"), Stamp());

        var chartYaml = File.ReadAllText(Path.Combine(staged.Directory, "Chart.yaml"));
        Assert.Equal("demo", staged.Name);
        Assert.Equal(
            TestChart.ChartYaml
                .Replace("version: 0.1.0 # placeholder", "version: 1.2.4-ci.2.g0123456 # placeholder", StringComparison.Ordinal)
                .Replace("appVersion: \"0.1.0\"", "appVersion: \"1.2.4-ci.2.g0123456\"", StringComparison.Ordinal) + "\n",
            chartYaml);
        Assert.Equal(TestChart.ValuesYaml + "\n", File.ReadAllText(Path.Combine(staged.Directory, "values.yaml")));
    }

    [Fact]
    public void Never_modifies_the_source_chart_and_copies_every_file()
    {
        var before = Snapshot(_chart.Directory);

        var staged = ChartStager.Stage(_chart.Directory, _chart.NewPath("staging"),
            Stamp(new ImagePin("127.0.0.1:5000/demo", Digest), ImageValuesPaths.Default with { Tag = "image.tag" }));

        Assert.Equal(before, Snapshot(_chart.Directory));
        Assert.Equal(before.Keys, Snapshot(staged.Directory).Keys);
        Assert.True(File.Exists(Path.Combine(staged.Directory, ".helmignore")));
    }

    [Fact]
    public void Pins_the_image_by_digest_in_values_keeping_layout()
    {
        var staged = ChartStager.Stage(_chart.Directory, _chart.NewPath("staging"), Stamp(new ImagePin("127.0.0.1:5000/apps/demo", Digest)));

        var values = File.ReadAllText(Path.Combine(staged.Directory, "values.yaml"));
        var expected = TestChart.ValuesYaml
            .Replace("  repository: registry.example.invalid/demo", "  repository: \"127.0.0.1:5000/apps/demo\"", StringComparison.Ordinal)
            .Replace("  digest: \"\"   # empty: use the tag", $"  digest: \"{Digest}\" # empty: use the tag", StringComparison.Ordinal) + "\n";
        Assert.Equal(expected, values);
        Assert.Contains("    repository: registry.example.invalid/sidecar", values, StringComparison.Ordinal);
    }

    [Fact]
    public void Pins_nested_paths_and_empties_the_tag_when_asked()
    {
        var staged = ChartStager.Stage(_chart.Directory, _chart.NewPath("staging"),
            Stamp(new ImagePin("ghcr.io/acme/sidecar", Digest), new ImageValuesPaths("sidecar.image.repository", "sidecar.image.digest")));
        var values = File.ReadAllText(Path.Combine(staged.Directory, "values.yaml"));
        Assert.Contains("    repository: \"ghcr.io/acme/sidecar\"", values, StringComparison.Ordinal);
        Assert.Contains($"    digest: \"{Digest}\"", values, StringComparison.Ordinal);
        Assert.Contains("  repository: registry.example.invalid/demo", values, StringComparison.Ordinal);

        var tagged = ChartStager.Stage(_chart.Directory, _chart.NewPath("staging2"),
            Stamp(new ImagePin("ghcr.io/acme/demo", Digest), ImageValuesPaths.Default with { Tag = "image.tag" }));
        Assert.Contains("  tag: \"\"", File.ReadAllText(Path.Combine(tagged.Directory, "values.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_values_key_fails_naming_the_path()
    {
        var error = Assert.Throws<ChartStagingException>(() => ChartStager.Stage(_chart.Directory, _chart.NewPath("staging"),
            Stamp(new ImagePin("ghcr.io/acme/demo", Digest), ImageValuesPaths.Default with { Digest = "image.sha" })));

        Assert.Contains("values.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains("'image.sha'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_that_is_a_mapping_is_not_overwritten()
    {
        var error = Assert.Throws<ChartStagingException>(() => ChartStager.Stage(_chart.Directory, _chart.NewPath("staging"),
            Stamp(new ImagePin("ghcr.io/acme/demo", Digest), new ImageValuesPaths("sidecar.image", "image.digest"))));

        Assert.Contains("'sidecar.image' is a mapping", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chart_without_version_fails_clearly()
    {
        using var chart = new TestChart(TestChart.ChartYaml.Replace("version: 0.1.0 # placeholder\n", string.Empty, StringComparison.Ordinal));

        var error = Assert.Throws<ChartStagingException>(() => ChartStager.Stage(chart.Directory, chart.NewPath("staging"), Stamp()));

        Assert.Equal("Chart.yaml: no top-level key 'version' found.", error.Message);
    }

    [Fact]
    public void A_missing_app_version_is_added_after_version()
    {
        using var chart = new TestChart(TestChart.ChartYaml.Replace("appVersion: \"0.1.0\"\n", string.Empty, StringComparison.Ordinal));

        var staged = ChartStager.Stage(chart.Directory, chart.NewPath("staging"), Stamp());

        Assert.Contains("version: 1.2.4-ci.2.g0123456 # placeholder\nappVersion: \"1.2.4-ci.2.g0123456\"\n",
            File.ReadAllText(Path.Combine(staged.Directory, "Chart.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void Crlf_files_stay_crlf()
    {
        using var chart = new TestChart(TestChart.ChartYaml.ReplaceLineEndings("\r\n"));

        var staged = ChartStager.Stage(chart.Directory, chart.NewPath("staging"), Stamp());

        var text = File.ReadAllText(Path.Combine(staged.Directory, "Chart.yaml"));
        Assert.Contains("\r\nappVersion: \"1.2.4-ci.2.g0123456\"\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n", text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n'), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_non_empty_staging_directory_or_one_inside_the_chart()
    {
        var busy = Directory.CreateDirectory(_chart.NewPath("busy"));
        File.WriteAllText(Path.Combine(busy.FullName, "x"), "x");

        Assert.Contains("is not empty", Assert.Throws<ChartStagingException>(() => ChartStager.Stage(_chart.Directory, busy.FullName, Stamp())).Message, StringComparison.Ordinal);
        Assert.Contains("overlaps", Assert.Throws<ChartStagingException>(
            () => ChartStager.Stage(_chart.Directory, Path.Combine(_chart.Directory, "staging"), Stamp())).Message, StringComparison.Ordinal);
        Assert.Contains("no Chart.yaml", Assert.Throws<ChartStagingException>(
            () => ChartStager.Stage(_chart.Root, _chart.NewPath("staging"), Stamp())).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ghcr.io/acme/demo", "sha256:abc")]
    [InlineData("ghcr.io/acme/demo", "sha256:EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE")]
    [InlineData("ghcr.io/acme/demo:1.0", "sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee")]
    [InlineData("demo", "sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee")]
    public void Malformed_pins_are_refused(string repository, string digest) =>
        Assert.Throws<ArgumentException>(() => new ImagePin(repository, digest));

    [Theory]
    [InlineData("")]
    [InlineData("1.0\"\n")]
    [InlineData("has space")]
    public void Malformed_app_versions_are_refused(string appVersion) =>
        Assert.Throws<ArgumentException>(() => new ChartStamp(SemanticVersion.Parse("1.0.0"), appVersion));

    private static SortedDictionary<string, string> Snapshot(string directory) =>
        new(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(file => Path.GetRelativePath(directory, file), File.ReadAllText), StringComparer.Ordinal);
}
