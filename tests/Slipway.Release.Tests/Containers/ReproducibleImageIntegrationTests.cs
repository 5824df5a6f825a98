using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Slipway.Processes;
using Slipway.Release.Containers;
using Slipway.Release.Oci;
using Slipway.Release.Registry;
using Slipway.Release.Tests.Publishing;
using Slipway.Release.Tests.Registry;
using Slipway.Release.Tools;
using Slipway.Release.Versioning;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Containers;

/// <summary>
/// The same commit gives the same image wherever it is built: cloned into two different paths and built into two embedded
/// registries on different ports (the real SDK, the real distroless base, the real registry), the per-platform manifests and
/// the index come out with the same digests. Findings it guards: absolute source paths in the binaries, and the loopback
/// registry's address in the base-image label and the inputs hash.
/// </summary>
[Collection(RegistryCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReproducibleImageIntegrationTests(RegistryBinaryFixture binary) : IDisposable
{
    private readonly RecordingLog _log = new();
    private readonly SecretRegistry _secrets = new();
    private readonly HttpClient _http = new();
    private readonly PublishWorkspace _origin = new(withService: true);
    private readonly TempDirectory _clones = new();

    public void Dispose()
    {
        _http.Dispose();
        _origin.Dispose();
        _clones.Dispose();
    }

    private OciRegistryClient Client => new(_http, _secrets, _log);

    private ProcessRunner Runner => new(_log, _secrets);

    [Fact]
    public async Task One_commit_cloned_into_two_paths_and_built_into_two_registries_gives_the_same_platform_and_index_digests()
    {
        var first = await BuildCloneAsync(_clones.Combine("a", "repo"));
        var second = await BuildCloneAsync(_clones.Combine("elsewhere", "deeper", "checkout"));

        Assert.NotEqual(first.Registry, second.Registry);
        // What would make them differ, named before the digests are compared.
        Assert.All(first.Labels, label => Assert.DoesNotContain(first.Registry, label, StringComparison.Ordinal));
        Assert.Contains(first.Labels, label => label.StartsWith("org.opencontainers.image.base.digest=sha256:", StringComparison.Ordinal));
        Assert.Equal(first.Labels, second.Labels);
        Assert.Equal(first.Files, second.Files);
        Assert.Equal(first.Image.Platforms, second.Image.Platforms);
        Assert.Equal(first.Image.IndexDigest, second.Image.IndexDigest);
    }

    private async Task<CloneBuild> BuildCloneAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _origin.Git("clone", "-q", _origin.Root, path);
        var facts = await new GitFactsReader(Runner).ReadAsync(path);
        var version = VersionCalculator.Calculate(facts, null).ToString();
        await using var registry = await EmbeddedRegistry.StartAsync(binary.BinaryPath, Runner, _log, Directory.CreateTempSubdirectory);
        var distroless = new DistrolessBaseImage(Runner, new DebianPackageCache(Runner, ToolCache.Default, _log), Client, Directory.CreateTempSubdirectory, _log);
        var baseImage = await distroless.BuildAndPushAsync(new DistrolessBaseRequest(OciReference.Parse($"{registry.Address}/slipway/runtime-deps:debian12"), ContainerPlatform.Default, facts.CommitTime));
        var request = new SdkContainerRequest(
            Path.Combine(path, "src", "Beacon", "Beacon.csproj"),
            OciReference.Parse($"{registry.Address}/beacon:{version}"),
            ContainerPlatform.Default,
            new SelectedBaseImage(baseImage.Reference, "the distroless base"),
            new ImageProvenance(version, facts.Sha, facts.CommitTime))
        {
            Properties = Smoke.BeaconImageFixture.BuildProperties(version, facts.Sha, facts.CommitTime),
        };

        var image = await new SdkContainerBuild(Runner, Client, _secrets, _log).BuildAsync(request);

        var amd64 = image.Platforms.Single(platform => platform.Platform == "linux/amd64").Digest;
        var (labels, appLayer) = await ReadImageAsync(registry.Address, amd64);
        return new CloneBuild(registry.Address, image, labels, await FilesAsync(registry.Address, appLayer));
    }

    private async Task<(IReadOnlyList<string> Labels, string AppLayer)> ReadImageAsync(string registry, string manifestDigest)
    {
        var manifest = Assert.IsType<ManifestResolution.Found>(await Client.ResolveManifestAsync(OciReference.Parse($"{registry}/beacon@{manifestDigest}")));
        using var document = JsonDocument.Parse(manifest.Content);
        var configDigest = document.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
        var appLayer = document.RootElement.GetProperty("layers").EnumerateArray().Last().GetProperty("digest").GetString()!;
        using var config = JsonDocument.Parse(await Client.GetBlobAsync(registry, "beacon", configDigest));
        var labels = config.RootElement.GetProperty("config").GetProperty("Labels").EnumerateObject().Select(label => $"{label.Name}={label.Value.GetString()}").ToList();
        return (labels, appLayer);
    }

    /// <summary>Each file of the app layer with a hash of its content: when the digests differ, the differing file is named.</summary>
    private async Task<IReadOnlyList<string>> FilesAsync(string registry, string layerDigest)
    {
        var blob = await Client.GetBlobAsync(registry, "beacon", layerDigest);
        using var reader = new TarReader(new GZipStream(new MemoryStream(blob), CompressionMode.Decompress));
        var files = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null)
                continue;
            using var content = new MemoryStream();
            await entry.DataStream.CopyToAsync(content);
            files.Add($"{entry.Name} {Convert.ToHexStringLower(SHA256.HashData(content.ToArray()))[..12]}");
        }

        return files;
    }

    private sealed record CloneBuild(string Registry, BuiltImage Image, IReadOnlyList<string> Labels, IReadOnlyList<string> Files);
}
