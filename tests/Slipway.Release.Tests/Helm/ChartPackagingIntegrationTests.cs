using System.Formats.Tar;
using System.IO.Compression;
using Slipway.Processes;
using Slipway.Release.Helm;
using Slipway.Release.Oci;
using Slipway.Release.Registry;
using Slipway.Release.Tests.Integration;
using Slipway.Release.Tests.Registry;
using Slipway.Release.Versioning;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Helm;

/// <summary>Stage, package with the real helm (both lines), repack: byte-identical archives that helm still reads and pushes reproducibly.</summary>
[Trait("Category", "Integration")]
[Collection(RealHelmCollection.Name)]
public sealed class ChartPackagingIntegrationTests(RealHelm helm, RegistryBinaryFixture registryBinary) : IDisposable, IClassFixture<RegistryBinaryFixture>
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

    private Task<ChartPackage> PackageAsync(StagedChart staged, string output, string helmLine = HelmLines.Helm4) =>
        ReproducibleChartPackage.PackageAsync(_runner, helm.Line(helmLine).Path, staged.Directory, _chart.NewPath(output), CommitTime);

    private async Task<string> HelmAsync(string helmLine, params string[] arguments) =>
        (await _runner.RunAsync(new ToolCommand(helm.Line(helmLine).Path, arguments) { StreamOutput = false })).StandardOutput;

    [Theory]
    [MemberData(nameof(HelmLines.Both), MemberType = typeof(HelmLines))]
    public async Task Two_packages_a_second_apart_are_byte_identical(string helmLine)
    {
        var staged = Stage("staging");
        var helmOnly = _chart.NewPath("helm-only");
        await HelmAsync(helmLine, "package", staged.Directory, "--destination", helmOnly);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var first = await PackageAsync(staged, "out1", helmLine);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var second = await PackageAsync(staged, "out2", helmLine);

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
    public async Task Both_helm_lines_package_the_same_chart_into_the_same_bytes()
    {
        var staged = Stage("staging");

        var packages = await Task.WhenAll(HelmLines.All.Select((line, index) => PackageAsync(staged, $"out{index}", line)));

        Assert.Single(packages.Select(package => package.Digest).Distinct());
    }

    [Theory]
    [MemberData(nameof(HelmLines.Both), MemberType = typeof(HelmLines))]
    public async Task A_private_loopback_registry_takes_login_push_and_pull_and_the_push_is_dated_by_the_commit(string helmLine)
    {
        var credentials = new RegistryCredentials("releaser", "pw-5d1e9b27");
        var secrets = new SecretRegistry();
        var log = new RecordingLog();
        await using var registry = await EmbeddedRegistry.StartAsync(registryBinary.BinaryPath, new ProcessRunner(log, secrets), log, Directory.CreateTempSubdirectory, credentials);
        var state = _chart.NewPath("helm-state");
        var cli = helm.Cli(state, helmLine);
        var staged = Stage("staging");
        var first = await PackageAsync(staged, "out1", helmLine);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var second = await PackageAsync(staged, "out2", helmLine);

        await cli.LoginAsync(registry.Address, credentials.Username, credentials.Password, plainHttp: true);
        var pushed = await cli.PushAsync(first.Path, $"oci://{registry.Address}/charts", plainHttp: true);
        var again = await cli.PushAsync(second.Path, $"oci://{registry.Address}/again", plainHttp: true);
        var pulled = await cli.PullAsync($"oci://{registry.Address}/charts/demo", first.ChartVersion, _chart.NewPath("pulled"), plainHttp: true);

        Assert.Equal($"{registry.Address}/charts/demo:{first.ChartVersion}", pushed.Reference);
        Assert.Equal(pushed.Digest, again.Digest);
        Assert.Equal(first.Digest, ReproducibleChartPackage.ComputeDigest(pulled));
        using var http = new HttpClient();
        var manifest = await new OciRegistryClient(http, secrets, log).ResolveManifestAsync(OciReference.Parse(pushed.Reference), credentials) as ManifestResolution.Found;
        Assert.Equal(pushed.Digest, manifest?.Digest);
        using var json = System.Text.Json.JsonDocument.Parse(manifest!.Content);
        Assert.Equal("2026-11-24T08:05:00Z", json.RootElement.GetProperty("annotations").GetProperty("org.opencontainers.image.created").GetString());

        // helm keeps the login as base64 of user:password; logging out removes it, and the registry refuses a pull after it.
        var registryConfig = Path.Combine(state, "config", "registry", "config.json");
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));
        Assert.Contains(auth, await File.ReadAllTextAsync(registryConfig), StringComparison.Ordinal);
        await cli.LogoutAsync(registry.Address);
        Assert.DoesNotContain(auth, await File.ReadAllTextAsync(registryConfig), StringComparison.Ordinal);
        await Assert.ThrowsAsync<HelmException>(() => cli.PullAsync($"oci://{registry.Address}/charts/demo", first.ChartVersion, _chart.NewPath("pulled-after-logout"), plainHttp: true));
    }

    [Fact]
    public async Task Helm_reads_the_repacked_chart_with_the_stamped_values()
    {
        var package = await PackageAsync(Stage("staging"), "out");

        var chart = await HelmAsync(HelmLines.Helm4, "show", "chart", package.Path);
        Assert.Contains("version: 1.2.4-ci.2.g0123456", chart, StringComparison.Ordinal);
        Assert.Contains("appVersion: 1.2.4-ci.2.g0123456", chart, StringComparison.Ordinal);

        var rendered = await HelmAsync(HelmLines.Helm4, "template", "rel", package.Path);
        Assert.Contains($"image: \"127.0.0.1:5000/demo@{Digest}\"", rendered, StringComparison.Ordinal);

        await HelmAsync(HelmLines.Helm4, "lint", "--strict", package.Path);

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
