using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Slipway.Release.Containers;
using Slipway.Release.Publishing;
using Slipway.Release.Smoke;
using Slipway.Release.Tests.Smoke;
using Slipway.Release.Tests.Registry;
using Slipway.Release.Versioning;

namespace Slipway.Release.Tests.Publishing;

/// <summary>
/// The whole release of a service, offline, through its targets: the real SDK image build for both platforms, the image
/// smoke (arm64 under qemu), the chart pinning the index digest, push, anonymous verification, release.json.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RegistryCollection.Name)]
public sealed class ContainerReleaseTests : IDisposable
{
    private readonly PublishWorkspace _workspace = new(withService: true);

    public void Dispose() => _workspace.Dispose();

    private sealed class ServiceRelease : SlipwayBuild, IContainerRelease
    {
        string IContainerImage.ImageProject => "src/Beacon/Beacon.csproj";

        IReadOnlyDictionary<string, string> IContainerImage.ImageBuildProperties(ReleaseVersion version) => new Dictionary<string, string>
        {
            ["BeaconVersion"] = version.Version.ToString(),
            ["BeaconGitSha"] = version.Git.Sha,
            ["BeaconCommitTime"] = "2026-11-20T10:00:00Z",
        };

        SmokeEndpoints ISmokeContract.SmokeEndpoints => BeaconImageFixture.Endpoints;

        Target Default => _ => _.DependsOn(this.From<IRelease>().Publish);
    }

    [Fact]
    public async Task Publish_with_no_parameters_releases_image_and_chart_and_the_chart_pins_the_index_digest()
    {
        var (exitCode, output) = await InProcessBuild.RunAsync<ServiceRelease>(_workspace.Root, []);

        Assert.True(exitCode == 0, output);
        Assert.Contains("[linux/amd64] ok   GET /version", output);
        Assert.Contains("[linux/arm64] ok   GET /version", output);

        using var record = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_workspace.Root, "artifacts", "release.json")));
        var image = record.RootElement.GetProperty("image");
        var indexDigest = image.GetProperty("digest").GetString()!;
        Assert.Matches(@"^127\.0\.0\.1:\d+/beacon:0\.1\.0-ci\.1\.g[0-9a-f]{7}$", image.GetProperty("reference").GetString());
        Assert.Equal(["linux/amd64", "linux/arm64"], image.GetProperty("platforms").EnumerateArray().Select(platform => platform.GetProperty("platform").GetString()));
        Assert.All(image.GetProperty("platforms").EnumerateArray(), platform => Assert.Matches("^sha256:[0-9a-f]{64}$", platform.GetProperty("digest").GetString()));
        Assert.Equal("passed", record.RootElement.GetProperty("anonymousPull").GetProperty("status").GetString());

        var values = ChartValues(Directory.GetFiles(Path.Combine(_workspace.Root, "artifacts", "charts"), "*.tgz").Single());
        Assert.Contains($"digest: \"{indexDigest}\"", values.Replace("'", "\"", StringComparison.Ordinal));
    }

    private static string ChartValues(string package)
    {
        using var gzip = new GZipStream(File.OpenRead(package), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.Name.EndsWith("/values.yaml", StringComparison.Ordinal) && entry.Name.Count(c => c == '/') == 1)
                return new StreamReader(entry.DataStream!).ReadToEnd();
        }

        throw new InvalidOperationException($"{package} has no values.yaml");
    }
}
