using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Slipway.Processes;
using Slipway.Release.Containers;
using Slipway.Release.Oci;
using Slipway.Release.Registry;
using Slipway.Release.Tests.Registry;
using Slipway.Release.Tools;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Containers;

/// <summary>Real apt, dpkg, registry and .NET SDK: the distroless base and a multi-arch service image built on it, twice.</summary>
[Collection(RegistryCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ContainerImageIntegrationTests(RegistryBinaryFixture binary) : IDisposable
{
    private const string Sha = "89abcdef0123456789abcdef0123456789abcdef";
    private static readonly DateTimeOffset BaseTime = DateTimeOffset.UnixEpoch;
    private static readonly DateTimeOffset CommitTime = DateTimeOffset.Parse("2026-11-24T03:35:12Z", CultureInfo.InvariantCulture);

    private readonly RecordingLog _log = new();
    private readonly SecretRegistry _secrets = new();
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    private OciRegistryClient Client => new(_http, _secrets, _log);

    private ProcessRunner Runner => new(_log, _secrets);

    private DistrolessBaseImage Distroless => new(Runner, new DebianPackageCache(Runner, ToolCache.Default, _log), Client, Directory.CreateTempSubdirectory, _log);

    [Fact]
    public async Task The_distroless_base_has_both_platforms_the_runtime_files_and_user_and_a_second_push_uploads_nothing()
    {
        await using var registry = await EmbeddedRegistry.StartAsync(binary.BinaryPath, Runner, _log, Directory.CreateTempSubdirectory);
        var target = OciReference.Parse($"{registry.Address}/slipway/runtime-deps:debian12");

        var first = await Distroless.BuildAndPushAsync(new DistrolessBaseRequest(target, ContainerPlatform.Default, BaseTime));
        var second = await Distroless.BuildAndPushAsync(new DistrolessBaseRequest(target, ContainerPlatform.Default, BaseTime));

        Assert.Equal(first.IndexDigest, second.IndexDigest);
        Assert.Equal(first.Platforms, second.Platforms);
        Assert.Equal((4, 0), (first.BlobsUploaded, first.BlobsReused));
        Assert.Equal((0, 4), (second.BlobsUploaded, second.BlobsReused));
        Assert.Equal(second.IndexDigest, Assert.IsType<ManifestResolution.Found>(await Client.ResolveManifestAsync(target)).Digest);
        Assert.Equal(["linux/amd64", "linux/arm64"], first.Platforms.Select(platform => platform.Platform));

        foreach (var (platform, loader) in new[] { ("linux/amd64", "lib64/ld-linux-x86-64.so.2"), ("linux/arm64", "lib/ld-linux-aarch64.so.1") })
        {
            var (config, layers) = await ReadImageAsync(registry.Address, "slipway/runtime-deps", first.Platforms.Single(image => image.Platform == platform).Digest);
            Assert.Equal("10001", config.GetProperty("config").GetProperty("User").GetString());
            Assert.Equal(platform.Split('/')[1], config.GetProperty("architecture").GetString());
            var entries = await ReadLayerAsync(registry.Address, "slipway/runtime-deps", Assert.Single(layers));
            Assert.Contains(loader, entries.Keys);
            Assert.Contains(entries.Keys, name => name.Contains("libstdc++.so.6", StringComparison.Ordinal));
            Assert.Contains(entries.Keys, name => name.Contains("libssl.so.3", StringComparison.Ordinal));
            Assert.Contains("usr/share/zoneinfo/Europe/Berlin", entries.Keys);
            Assert.Contains("app:x:10001:10001:", entries["etc/passwd"].Text, StringComparison.Ordinal);
            Assert.Contains("app:x:10001:", entries["etc/group"].Text, StringComparison.Ordinal);
            Assert.True(entries["etc/ssl/certs/ca-certificates.crt"].Text.Split("BEGIN CERTIFICATE").Length > 100);
            Assert.Equal("1777", Convert.ToString((int)entries["tmp/"].Mode, 8));
            Assert.All(entries.Values, entry => Assert.Equal(BaseTime, entry.ModificationTime));
        }
    }

    [Fact]
    public async Task The_service_image_is_multi_arch_on_the_distroless_base_labelled_from_the_commit_and_a_rebuild_gives_the_same_digests()
    {
        await using var registry = await EmbeddedRegistry.StartAsync(binary.BinaryPath, Runner, _log, Directory.CreateTempSubdirectory);
        var baseImage = await Distroless.BuildAndPushAsync(new DistrolessBaseRequest(OciReference.Parse($"{registry.Address}/slipway/runtime-deps:debian12"), ContainerPlatform.Default, BaseTime));
        var selected = await new BaseImageSelection(Client, _log).SelectAsync(
            baseImage.Reference, ContainerPlatform.Default, new PublishDestination(registry.Address, null, Embedded: true), _ => throw new InvalidOperationException("a base was given"));
        var request = new SdkContainerRequest(
            Path.Combine(Repository.Root, "src", "Beacon", "Beacon.csproj"),
            OciReference.Parse($"{registry.Address}/beacon:1.2.3-rc.1"),
            ContainerPlatform.Default,
            selected,
            new ImageProvenance("1.2.3-rc.1", Sha, CommitTime, "https://example.com/org/slipway"))
        {
            Properties = Smoke.BeaconImageFixture.BuildProperties("1.2.3-rc.1", Sha, CommitTime),
        };
        var build = new SdkContainerBuild(Runner, Client, _secrets, _log);

        var first = await build.BuildAsync(request);
        var linesAfterFirst = _log.Lines.Count;
        var rebaseImage = await Distroless.BuildAndPushAsync(new DistrolessBaseRequest(OciReference.Parse($"{registry.Address}/slipway/runtime-deps:debian12"), ContainerPlatform.Default, BaseTime));
        // A real second build (the registry's index would otherwise be reused): the digests must come out the same.
        var second = await build.BuildAsync(request with { Rebuild = true });

        Assert.Equal(["linux/amd64", "linux/arm64"], first.Platforms.Select(platform => platform.Platform));
        var index = Assert.IsType<ManifestResolution.Found>(await Client.ResolveManifestAsync(OciReference.Parse(first.Reference)));
        Assert.IsType<ManifestResolution.NotFound>(await Client.ResolveManifestAsync(request.Target));
        // No version tag (the release sets those last), only the build's inputs tag, for a rerun to reuse.
        Assert.StartsWith(ImageReuse.InputsTagPrefix, Assert.Single(await Client.ListTagsAsync(registry.Address, "beacon")), StringComparison.Ordinal);
        Assert.Equal(first.IndexDigest, index.Digest);
        Assert.Equal(first.Platforms, SdkContainerBuild.ReadPlatforms(index.Content));
        Assert.Equal($"{registry.Address}/beacon@{first.IndexDigest}", first.Reference);
        Assert.Equal(baseImage.Reference, first.BaseImage);

        foreach (var platform in first.Platforms)
        {
            var (config, layers) = await ReadImageAsync(registry.Address, "beacon", platform.Digest);
            var labels = config.GetProperty("config").GetProperty("Labels");
            Assert.Equal(Sha, labels.GetProperty("org.opencontainers.image.revision").GetString());
            Assert.Equal("1.2.3-rc.1", labels.GetProperty("org.opencontainers.image.version").GetString());
            Assert.Equal("2026-11-24T03:35:12Z", labels.GetProperty("org.opencontainers.image.created").GetString());
            Assert.Equal("https://example.com/org/slipway", labels.GetProperty("org.opencontainers.image.source").GetString());
            // The base lives on this run's loopback registry: its name (a random port) is left out; the SDK labels its digest.
            Assert.False(labels.TryGetProperty("org.opencontainers.image.base.name", out _));
            Assert.Equal(baseImage.Platforms.Single(image => image.Platform == platform.Platform).Digest, labels.GetProperty("org.opencontainers.image.base.digest").GetString());
            Assert.Equal("10001", config.GetProperty("config").GetProperty("User").GetString());
            Assert.Equal("2026-11-24T03:35:12Z", config.GetProperty("created").GetString());
            Assert.Equal(2, layers.Count);
            var app = await ReadLayerAsync(registry.Address, "beacon", layers[1]);
            Assert.Contains("app/Beacon", app.Keys);
            Assert.All(app.Values, entry => Assert.Equal(CommitTime, entry.ModificationTime));
        }

        // The rebuild: nothing changed, so nothing differs, and no blob is sent again: the SDK pushes nothing (it writes an
        // archive), and the normaliser finds every blob, the base's included, already in the repository.
        Assert.Equal(first.IndexDigest, second.IndexDigest);
        Assert.Equal(first.Platforms, second.Platforms);
        Assert.Equal(baseImage.IndexDigest, rebaseImage.IndexDigest);
        Assert.Equal(0, rebaseImage.BlobsUploaded);
        var pushed = $"Pushed {first.Reference} (by digest; the release tags it {request.Target} last)";
        var firstPush = Assert.Single(_log.Lines.Take(linesAfterFirst), line => line.Contains(pushed, StringComparison.Ordinal));
        Assert.Contains("blobs: 4 uploaded, 2 mounted from", firstPush, StringComparison.Ordinal);
        var rebuildPush = Assert.Single(_log.Lines.Skip(linesAfterFirst), line => line.Contains(pushed, StringComparison.Ordinal));
        Assert.Contains("blobs: 0 uploaded, 0 mounted from", rebuildPush, StringComparison.Ordinal);
        Assert.DoesNotContain(_log.Lines, line => line.Contains("Uploading layer", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, line => line.Contains($"on {baseImage.Reference}: ", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, line => line.Contains("The SDK built 2 images (linux-x64, linux-arm64) into obj/slipway-image.tar", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Lines, line => line.StartsWith("output: ", StringComparison.Ordinal) && line.Contains("Building image", StringComparison.Ordinal));
    }

    private async Task<(JsonElement Config, List<string> Layers)> ReadImageAsync(string registry, string repository, string manifestDigest)
    {
        var manifest = Assert.IsType<ManifestResolution.Found>(await Client.ResolveManifestAsync(OciReference.Parse($"{registry}/{repository}@{manifestDigest}")));
        using var document = JsonDocument.Parse(manifest.Content);
        var configDigest = document.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
        var layers = document.RootElement.GetProperty("layers").EnumerateArray().Select(layer => layer.GetProperty("digest").GetString()!).ToList();
        using var config = JsonDocument.Parse(await Client.GetBlobAsync(registry, repository, configDigest));
        return (config.RootElement.Clone(), layers);
    }

    private async Task<Dictionary<string, LayerEntry>> ReadLayerAsync(string registry, string repository, string digest)
    {
        var blob = await Client.GetBlobAsync(registry, repository, digest);
        using var reader = new TarReader(new GZipStream(new MemoryStream(blob), CompressionMode.Decompress));
        var entries = new Dictionary<string, LayerEntry>(StringComparer.Ordinal);
        while (reader.GetNextEntry() is { } entry)
        {
            var text = string.Empty;
            if (entry.DataStream is { } data && entry.Length < 1_000_000)
                text = new StreamReader(data).ReadToEnd();
            entries.Add(entry.Name, new LayerEntry(entry.Mode, entry.ModificationTime, text));
        }

        return entries;
    }

    private sealed record LayerEntry(UnixFileMode Mode, DateTimeOffset ModificationTime, string Text);
}
