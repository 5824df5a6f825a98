using System.Formats.Tar;
using System.IO.Compression;
using Slipway.Processes;
using Slipway.Release.Helm;
using Slipway.Release.Tests.Integration;
using Slipway.Release.Versioning;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Helm;

/// <summary>Stage, package with the real helm, repack: byte-identical archives that helm still reads.</summary>
[Trait("Category", "Integration")]
[Collection(RealHelmCollection.Name)]
public sealed class ChartPackagingIntegrationTests(RealHelm helm) : IDisposable
{
    private static readonly DateTimeOffset CommitTime = new(2026, 11, 24, 8, 5, 0, TimeSpan.Zero);
    private static readonly string Digest = "sha256:" + new string('e', 64);
    private readonly TestChart _chart = new();
    private readonly ProcessRunner _runner = new(new RecordingLog(), new SecretRegistry());

    public void Dispose() => _chart.Dispose();

    private StagedChart Stage(string name, string version = "1.2.4-ci.2.g0123456")
    {
        File.WriteAllText(Path.Combine(_chart.Directory, "ignored.bak"), "left out by .helmignore");
        return ChartStager.Stage(_chart.Directory, _chart.NewPath(name),
            new ChartStamp(SemanticVersion.Parse(version), version, new ImagePin("127.0.0.1:5000/demo", Digest)));
    }

    private Task<ChartPackage> PackageAsync(StagedChart staged, string output) =>
        ReproducibleChartPackage.PackageAsync(_runner, helm.Tool.Path, staged.Directory, _chart.NewPath(output), CommitTime);

    private async Task<string> HelmAsync(params string[] arguments) =>
        (await _runner.RunAsync(new ToolCommand(helm.Tool.Path, arguments) { StreamOutput = false })).StandardOutput;

    [Fact]
    public async Task Two_packages_a_second_apart_are_byte_identical()
    {
        var staged = Stage("staging");
        var helmOnly = _chart.NewPath("helm-only");
        await HelmAsync("package", staged.Directory, "--destination", helmOnly);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var first = await PackageAsync(staged, "out1");
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var second = await PackageAsync(staged, "out2");

        Assert.Equal("demo-1.2.4-ci.2.g0123456.tgz", Path.GetFileName(first.Path));
        Assert.Equal(File.ReadAllBytes(first.Path), File.ReadAllBytes(second.Path));
        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(CommitTime.UtcDateTime, File.GetLastWriteTimeUtc(first.Path));
        // helm package alone is not reproducible: the repack is what makes the difference.
        Assert.NotEqual(first.Digest, ReproducibleChartPackage.ComputeDigest(Directory.GetFiles(helmOnly, "*.tgz").Single()));
        Assert.Empty(Directory.GetDirectories(_chart.NewPath("out1")));
    }

    [Fact]
    public async Task A_content_change_changes_the_digest()
    {
        var first = await PackageAsync(Stage("staging1"), "out1");
        File.AppendAllText(Path.Combine(_chart.Directory, "templates", "configmap.yaml"), "  extra: \"1\"\n");
        var second = await PackageAsync(Stage("staging2"), "out2");

        Assert.NotEqual(first.Digest, second.Digest);
    }

    [Fact]
    public async Task Helm_reads_the_repacked_chart_with_the_stamped_values()
    {
        var package = await PackageAsync(Stage("staging"), "out");

        var chart = await HelmAsync("show", "chart", package.Path);
        Assert.Contains("version: 1.2.4-ci.2.g0123456", chart, StringComparison.Ordinal);
        Assert.Contains("appVersion: 1.2.4-ci.2.g0123456", chart, StringComparison.Ordinal);

        var rendered = await HelmAsync("template", "rel", package.Path);
        Assert.Contains($"image: \"127.0.0.1:5000/demo@{Digest}\"", rendered, StringComparison.Ordinal);

        await HelmAsync("lint", "--strict", package.Path);

        using var file = File.OpenRead(package.Path);
        using var reader = new TarReader(new GZipStream(file, CompressionMode.Decompress));
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
            names.Add(entry.Name);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains("demo/Chart.yaml", names);
        Assert.Contains("demo/.helmignore", names);
        Assert.DoesNotContain("demo/ignored.bak", names);
    }
}
