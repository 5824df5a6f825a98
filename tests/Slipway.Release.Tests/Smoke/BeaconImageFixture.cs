using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Slipway.Processes;
using Slipway.Release.Containers;
using Slipway.Release.Helm;
using Slipway.Release.Oci;
using Slipway.Release.Smoke;
using Slipway.Release.Tools;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Smoke;

/// <summary>
/// The service this repository ships, built into minimal roots by hand (no image build needed): Beacon published
/// self-contained per architecture with stamped provenance into <c>/app</c>, over glibc, libstdc++, libgcc, OpenSSL and
/// zlib from Debian's packages of that architecture (apt-get download with a private apt state, dpkg -x). Built once per
/// test run; every test gets a fresh copy of a root, which the code under test must delete.
/// </summary>
public sealed class BeaconImageFixture : IAsyncLifetime
{
    public const string Version = "1.2.3-smoke.7";
    public const string GitSha = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    public const string CommitTime = "2026-11-24T03:35:12Z";
    private static readonly string[] BasePackages = ["libc6", "libstdc++6", "libgcc-s1", "libssl3", "zlib1g"];

    private readonly TempDirectory _work = new();
    private readonly SecretRegistry _secrets = new();

    internal RecordingLog Log { get; } = new();

    internal IProcessRunner Runner { get; private set; } = null!;

    public static string RepositoryRoot => Repository.Root;

    public string ChartVersion { get; private set; } = string.Empty;

    /// <summary>helm template of the chart with its default values.</summary>
    public string DefaultRender { get; private set; } = string.Empty;

    public SmokeExpectations Expected => new(Version, GitSha, ChartVersion);

    /// <summary>What this repository's build declares for Beacon (build/Build.Image.cs).</summary>
    /// <summary>What Beacon bakes into its binary (as build/Build.Image.cs passes it): version, git sha, commit time.</summary>
    public static IReadOnlyDictionary<string, string> BuildProperties(string version, string sha, DateTimeOffset commitTime) => new Dictionary<string, string>
    {
        ["BeaconVersion"] = version,
        ["BeaconGitSha"] = sha,
        ["BeaconCommitTime"] = SdkContainerBuild.FormatTime(commitTime),
    };

    public static SmokeEndpoints Endpoints { get; } = new(new ProvenanceEndpoint("/version", "version", "git_sha", "chart_version"), ["/api/v1/health"]);

    private HelmCli Helm { get; set; } = null!;

    public async Task InitializeAsync()
    {
        Runner = new ProcessRunner(Log, _secrets);
        var helm = TestTools.ResolveAsync(PinnedTools.Helm, Runner, Log);
        await Task.WhenAll(PublishAsync("amd64", "linux-x64"), PublishAsync("arm64", "linux-arm64"), BaseAsync("amd64"), BaseAsync("arm64"), helm);
        Helm = new HelmCli(await helm, Runner, _secrets, _work.Combine("helm"));
        ChartVersion = File.ReadLines(Path.Combine(RepositoryRoot, "charts", "beacon", "Chart.yaml"))
            .Single(line => line.StartsWith("version:", StringComparison.Ordinal))["version:".Length..].Trim().Trim('"');
        DefaultRender = await RenderAsync(edit: null);
    }

    public Task DisposeAsync()
    {
        _work.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Renders a copy of charts/beacon, its deployment template edited first when <paramref name="edit"/> is given.</summary>
    public async Task<string> RenderAsync(Func<string, string>? edit)
    {
        var copy = _work.Combine("charts", Guid.NewGuid().ToString("N"), "beacon");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        await RunAsync(new ToolCommand("cp", "-a", Path.Combine(RepositoryRoot, "charts", "beacon"), copy));
        if (edit is not null)
        {
            var template = Path.Combine(copy, "templates", "deployment.yaml");
            var before = await File.ReadAllTextAsync(template);
            var after = edit(before);
            Assert.NotEqual(before, after);
            await File.WriteAllTextAsync(template, after);
        }

        return await Helm.TemplateAsync(copy, "smoke");
    }

    public static ImageConfig Config(string architecture) => new()
    {
        Architecture = architecture,
        Entrypoint = ["/app/Beacon"],
        WorkingDirectory = "/app",
        User = "10001",
        Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "APP_UID=10001", "ASPNETCORE_HTTP_PORTS=8080", "DOTNET_RUNNING_IN_CONTAINER=true"],
    };

    /// <summary>A fresh root (base libraries and the app) in its own temp folder, handed over to the code under test.</summary>
    public async Task<ImageRootfs> NewRootfsAsync(string architecture)
    {
        var root = Directory.CreateTempSubdirectory("slipway-test-rootfs-").FullName;
        await RunAsync(new ToolCommand("cp", "-a", _work.Combine($"base-{architecture}") + "/.", root));
        await RunAsync(new ToolCommand("cp", "-a", _work.Combine($"app-{architecture}") + "/.", root));
        return ImageRootfs.Adopt(root, Config(architecture));
    }

    /// <summary>Pushes both roots as a multi-arch index (two layers each: the libraries, then the app) and returns it by tag.</summary>
    public async Task<OciReference> PushIndexAsync(OciRegistryClient client, string registry)
    {
        var entries = new List<object>();
        foreach (var architecture in new[] { "amd64", "arm64" })
        {
            var layers = new List<(string Digest, long Size)>();
            foreach (var folder in new[] { $"base-{architecture}", $"app-{architecture}" })
            {
                var layer = Layer(_work.Combine(folder));
                layers.Add((await client.PushBlobAsync(registry, "beacon", layer), layer.Length));
            }

            var config = JsonSerializer.SerializeToUtf8Bytes(new
            {
                architecture,
                os = "linux",
                config = new { Entrypoint = Config(architecture).Entrypoint, WorkingDir = "/app", User = "10001", Env = Config(architecture).Env },
                rootfs = new { type = "layers", diff_ids = Array.Empty<string>() },
            });
            var configDigest = await client.PushBlobAsync(registry, "beacon", config);
            var manifest = JsonSerializer.SerializeToUtf8Bytes(new
            {
                schemaVersion = 2,
                mediaType = OciMediaTypes.ImageManifest,
                config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
                layers = layers.Select(layer => new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = layer.Digest, size = layer.Size }),
            });
            var digest = await client.PushManifestAsync(OciReference.Parse($"{registry}/beacon:{architecture}"), manifest, OciMediaTypes.ImageManifest);
            entries.Add(new { mediaType = OciMediaTypes.ImageManifest, digest, size = manifest.Length, platform = new { os = "linux", architecture } });
        }

        var index = JsonSerializer.SerializeToUtf8Bytes(new { schemaVersion = 2, mediaType = OciMediaTypes.ImageIndex, manifests = entries });
        var reference = OciReference.Parse($"{registry}/beacon:{Version}");
        await client.PushManifestAsync(reference, index, OciMediaTypes.ImageIndex);
        return reference;
    }

    private static byte[] Layer(string directory)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            TarFile.CreateFromDirectory(directory, gzip, includeBaseDirectory: false);
        return output.ToArray();
    }

    private async Task PublishAsync(string architecture, string runtime)
    {
        // Own artifacts path per runtime: nothing shared with the repository's obj folders or the other publish.
        await RunAsync(new ToolCommand(
            "dotnet", "publish", Path.Combine(RepositoryRoot, "src", "Beacon", "Beacon.csproj"), "-c", "Release", "-r", runtime, "--self-contained",
            "-p:PublishSingleFile=false", $"-p:BeaconVersion={Version}", $"-p:BeaconGitSha={GitSha}", $"-p:BeaconCommitTime={CommitTime}",
            "--artifacts-path", _work.Combine($"artifacts-{architecture}"), "-o", _work.Combine($"app-{architecture}", "app"), "--disable-build-servers")
        {
            Environment = new Dictionary<string, string?> { ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            Timeout = TimeSpan.FromMinutes(5),
        });
    }

    private Task BaseAsync(string architecture) =>
        DebianPackages.ExtractAsync(Runner, BasePackages, _work.Combine($"base-{architecture}"), _work.Combine($"apt-{architecture}"), architecture);

    private Task RunAsync(ToolCommand command) => Runner.RunAsync(command with { StreamOutput = false });
}

/// <summary>Image smoke tests run one at a time: they share the chart's port on this machine.</summary>
[CollectionDefinition(Name)]
public sealed class ImageSmokeCollection : ICollectionFixture<BeaconImageFixture>
{
    public const string Name = "Image smoke";
}
