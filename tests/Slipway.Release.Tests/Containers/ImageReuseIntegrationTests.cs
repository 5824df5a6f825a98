using System.Globalization;
using System.Text.Json;
using Slipway.Processes;
using Slipway.Release.Containers;
using Slipway.Release.Oci;
using Slipway.Release.Publishing;
using Slipway.Release.Registry;
using Slipway.Release.Tests.Registry;
using Slipway.Release.Tests.Support;
using Slipway.Release.Tools;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Containers;

/// <summary>
/// Real git, registry and .NET SDK, on a copy of the service in a git repository of its own: a retried build of the same
/// commit reuses the index, a dirty tree or a new commit builds, and what is reused equals what a fresh build gives.
/// </summary>
[Collection(RegistryCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ImageReuseIntegrationTests(RegistryBinaryFixture binary) : IDisposable
{
    private static readonly DateTimeOffset CommitTime = DateTimeOffset.Parse("2026-11-24T03:35:12Z", CultureInfo.InvariantCulture);

    private readonly RecordingLog _log = new();
    private readonly SecretRegistry _secrets = new();
    private readonly HttpClient _http = new();
    private readonly TempDirectory _checkout = new();

    public void Dispose()
    {
        _http.Dispose();
        _checkout.Dispose();
    }

    private OciRegistryClient Client => new(_http, _secrets, _log);

    [Fact]
    public async Task A_retry_reuses_a_dirty_tree_builds_a_fresh_build_matches_the_reused_index_and_a_new_commit_changes_the_app_layer()
    {
        await using var registry = await EmbeddedRegistry.StartAsync(binary.BinaryPath, new ProcessRunner(_log, _secrets), _log, Directory.CreateTempSubdirectory);
        var runner = new PublishCountingRunner(new ProcessRunner(_log, _secrets));
        var distroless = new DistrolessBaseImage(runner, new DebianPackageCache(runner, ToolCache.Default, _log), Client, Directory.CreateTempSubdirectory, _log);
        var baseImage = await distroless.BuildAndPushAsync(
            new DistrolessBaseRequest(OciReference.Parse($"{registry.Address}/slipway/runtime-deps:debian12"), [ContainerPlatform.LinuxAmd64], DateTimeOffset.UnixEpoch));
        var build = new SdkContainerBuild(runner, Client, _secrets, _log);

        var sha = await CommitServiceAsync();
        var request = Request(registry.Address, "1.0.0-a", sha, baseImage.Reference);
        var fresh = await build.BuildAsync(request);
        Assert.Equal(1, runner.Publishes);
        var annotations = await IndexAnnotationsAsync(OciReference.Parse(fresh.Reference));
        Assert.StartsWith("sha256:", annotations[ImageReuse.InputsAnnotation], StringComparison.Ordinal);
        // No version tag yet (a release sets it last): a rerun before any release (a retried job, a Publish that failed after
        // ImageBuild) finds the index under its inputs' tag and reuses it.
        Assert.Null(await Client.ResolveManifestAsync(request.Target) as ManifestResolution.Found);
        var notReleased = await build.BuildAsync(request);
        Assert.Equal(1, runner.Publishes);
        Assert.Equal(fresh.IndexDigest, notReleased.IndexDigest);
        await ReleaseAsync(fresh);

        // A retried job after the release: same commit, same parameters.
        var retried = await build.BuildAsync(request);
        Assert.Equal(1, runner.Publishes);
        Assert.Equal((fresh.Reference, fresh.IndexDigest), (retried.Reference, retried.IndexDigest));
        Assert.Equal(fresh.Platforms, retried.Platforms);
        Assert.Contains(_log.Lines, line => line.Contains($"Reused {request.Target} = {fresh.IndexDigest}", StringComparison.Ordinal));

        // An uncommitted edit: built, the index it pushes claims no inputs, and the release refuses to move the tag to it.
        var program = Path.Combine(_checkout.Path, "src", "Beacon", "Program.cs");
        var original = await File.ReadAllTextAsync(program);
        await File.WriteAllTextAsync(program, original + "\n// an uncommitted edit\n");
        var dirty = await build.BuildAsync(request);
        Assert.Equal(2, runner.Publishes);
        Assert.Contains(_log.Lines, line => line.Contains("uncommitted changes the image is built from (src/Beacon/Program.cs)", StringComparison.Ordinal));
        Assert.False((await IndexAnnotationsAsync(OciReference.Parse(dirty.Reference))).ContainsKey(ImageReuse.InputsAnnotation));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ReleaseAsync(dirty));
        Assert.Contains($"Refusing to move {request.Target}: it names {fresh.IndexDigest}", refused.Message, StringComparison.Ordinal);

        // The edit undone: the tag still holds the clean image, which is reused; a forced fresh build gives exactly it.
        await File.WriteAllTextAsync(program, original);
        Assert.Equal(fresh.IndexDigest, (await build.BuildAsync(request)).IndexDigest);
        Assert.Equal(2, runner.Publishes);
        var rebuilt = await build.BuildAsync(request with { Rebuild = true });
        Assert.Equal(3, runner.Publishes);
        Assert.Equal(fresh.IndexDigest, rebuilt.IndexDigest);
        Assert.Equal(fresh.Platforms, rebuilt.Platforms);
        Assert.Equal(annotations, await IndexAnnotationsAsync(request.Target));

        // A commit that changes one source file of the service: built, and only the app layer differs.
        await File.WriteAllTextAsync(program, original + "\n// a committed change\n");
        var next = await CommitServiceAsync();
        var changed = await build.BuildAsync(Request(registry.Address, "1.0.0-b", next, baseImage.Reference));
        Assert.Equal(4, runner.Publishes);
        var (freshBase, freshApp) = await LayersAsync(registry.Address, fresh.Platforms[0].Digest);
        var (changedBase, changedApp) = await LayersAsync(registry.Address, changed.Platforms[0].Digest);
        Assert.Equal(freshBase, changedBase);
        Assert.NotEqual(freshApp, changedApp);
    }

    /// <summary>What the release's ImageTag does with a built image: its tags, each set, a no-op, or refused when taken.</summary>
    private Task ReleaseAsync(BuiltImage image) =>
        new ReleaseTagger(Client, _log).SetAsync(image.Tags.Select(tag => new ReleaseTag(tag.Reference, tag.Digest)), null, []);

    private SdkContainerRequest Request(string registry, string version, string sha, string baseReference) => new(
        Path.Combine(_checkout.Path, "src", "Beacon", "Beacon.csproj"),
        OciReference.Parse($"{registry}/beacon:{version}"),
        [ContainerPlatform.LinuxAmd64],
        new SelectedBaseImage(baseReference, "distroless"),
        new ImageProvenance(version, sha, CommitTime))
    {
        Properties = Smoke.BeaconImageFixture.BuildProperties(version, sha, CommitTime),
    };

    /// <summary>The service and the files MSBuild imports above it, committed; returns the commit's sha.</summary>
    private async Task<string> CommitServiceAsync()
    {
        if (!Directory.Exists(Path.Combine(_checkout.Path, ".git")))
        {
            Repository.CopyDirectory(Path.Combine(Repository.Root, "src", "Beacon"), Path.Combine(_checkout.Path, "src", "Beacon"));
            foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", ".gitignore" })
                File.Copy(Path.Combine(Repository.Root, file), Path.Combine(_checkout.Path, file));
            await GitAsync("init", "--quiet");
        }

        await GitAsync("add", "--all");
        await GitAsync("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", "service");
        return (await GitAsync("rev-parse", "HEAD")).Trim();
    }

    private async Task<string> GitAsync(params string[] arguments) =>
        (await new ProcessRunner(_log, _secrets).RunAsync(new ToolCommand("git", arguments) { WorkingDirectory = _checkout.Path, StreamOutput = false })).StandardOutput;

    private async Task<Dictionary<string, string>> IndexAnnotationsAsync(OciReference tag)
    {
        var index = Assert.IsType<ManifestResolution.Found>(await Client.ResolveManifestAsync(tag));
        using var document = JsonDocument.Parse(index.Content);
        return document.RootElement.TryGetProperty("annotations", out var annotations)
            ? annotations.EnumerateObject().ToDictionary(pair => pair.Name, pair => pair.Value.GetString()!)
            : [];
    }

    private async Task<(string Base, string App)> LayersAsync(string registry, string manifestDigest)
    {
        var manifest = Assert.IsType<ManifestResolution.Found>(await Client.ResolveManifestAsync(OciReference.Parse($"{registry}/beacon@{manifestDigest}")));
        using var document = JsonDocument.Parse(manifest.Content);
        var layers = document.RootElement.GetProperty("layers").EnumerateArray().Select(layer => layer.GetProperty("digest").GetString()!).ToList();
        return (layers[0], layers[^1]);
    }

    /// <summary>The real runner, counting the SDK publishes it starts.</summary>
    private sealed class PublishCountingRunner(IProcessRunner inner) : IProcessRunner
    {
        private int _publishes;

        public int Publishes => _publishes;

        public Task<ToolResult> RunAsync(ToolCommand command, CancellationToken cancellationToken = default)
        {
            if (command.FileName == "dotnet" && command.Arguments.FirstOrDefault() == "publish")
                Interlocked.Increment(ref _publishes);
            return inner.RunAsync(command, cancellationToken);
        }
    }
}
