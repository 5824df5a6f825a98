using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using Slipway.Processes;
using Slipway.Release.Registry;
using Slipway.Release.Tests.Publishing;
using Slipway.Release.Tests.Support;
using Slipway.Release.Tools;
using Slipway.Release.Versioning;
using Slipway.Secrets;

namespace Slipway.Release.Tests.PrSmoke.Fakes;

[CollectionDefinition(Name)]
public sealed class PrSmokeLaneCollection : ICollectionFixture<PrSmokeLaneFixture>
{
    public const string Name = "PR smoke lane against the fake cluster";
}

/// <summary>
/// What the PR smoke tests share, made once: the real helm (which the fake helm delegates rendering to), a throwaway
/// repository with Beacon, its chart and a build on the engine that adopts IPrSmoke as this repository's build does, a
/// registry the runs push to (so later image builds find the base image), and Beacon itself, built with the provenance
/// that repository's PR build stamps, for the fake port-forward to reach.
/// </summary>
public sealed class PrSmokeLaneFixture : IAsyncLifetime
{
    public const int PullRequest = 7;

    // As build/Build.Image.cs and build/Build.PrSmoke.cs adopt the components for Beacon.
    private static readonly string BuildSource = PublishWorkspace.BeaconBuild("IPrSmoke", "x.From<IPrSmoke>().PrSmoke");

    private readonly TempDirectory _beacon = new();
    private readonly SecretRegistry _secrets = new();

    internal RecordingLog Log { get; } = new();

    internal PublishWorkspace Workspace { get; } = new(withService: true);

    public string RealHelm { get; private set; } = string.Empty;

    public ReleaseVersion Expected { get; private set; } = null!;

    public EmbeddedRegistry Registry { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var runner = new ProcessRunner(Log, _secrets);
        var helm = TestTools.ResolveAsync(PinnedTools.Helm, runner, Log);
        var registryBinary = new RegistryBinaryProvisioner(runner, ToolCache.Default, Log).ProvisionAsync();

        // Committed with the rest, so the tree is clean: an image build can then recognise inputs it built before.
        Workspace.CommitBuild(BuildSource);
        var facts = await new GitFactsReader(runner).ReadAsync(Workspace.Root);
        Expected = new ReleaseVersion(VersionCalculator.Calculate(facts, PullRequest), facts);
        await runner.RunAsync(new ToolCommand("dotnet", "build", Path.Combine(Workspace.Root, "src", "Beacon", "Beacon.csproj"), "-c", "Release", "-o", _beacon.Path, "--nologo", "-v", "q",
            $"-p:BeaconVersion={Expected.Version}", $"-p:BeaconGitSha={facts.Sha}", $"-p:BeaconCommitTime={facts.CommitTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}")
        {
            StreamOutput = false,
            Timeout = TimeSpan.FromMinutes(5),
        });
        RealHelm = (await helm).Path;
        Registry = await EmbeddedRegistry.StartAsync(await registryBinary, runner, Log, Directory.CreateTempSubdirectory);
    }

    public async Task DisposeAsync()
    {
        await Registry.StopAsync();
        Workspace.Dispose();
        _beacon.Dispose();
    }

    /// <summary>Starts the Beacon the lane's smoke reaches, reporting <paramref name="chartVersion"/> as the chart sets it.</summary>
    public async Task<BeaconBackend> StartBeaconAsync(string? chartVersion = null) =>
        await BeaconBackend.StartAsync(Path.Combine(_beacon.Path, "Beacon.dll"), chartVersion ?? Expected.Version.ToString());
}

/// <summary>A real Beacon process on a free loopback port, stopped (its tree killed) on dispose.</summary>
public sealed class BeaconBackend : IAsyncDisposable
{
    private readonly Process _process;

    private BeaconBackend(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static async Task<BeaconBackend> StartAsync(string dll, string chartVersion)
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["CHART_VERSION"] = chartVersion;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var backend = new BeaconBackend(process, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                if ((await http.GetAsync(new Uri($"http://{backend.Address}/healthz"))).IsSuccessStatusCode)
                    return backend;
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (process.HasExited)
                break;
            await Task.Delay(100);
        }

        await backend.DisposeAsync();
        throw new InvalidOperationException($"Beacon ({dll}) did not answer on {backend.Address}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
