using Slipway.Processes;
using Slipway.Release.DotNet;
using Slipway.Secrets;

namespace Slipway.Tool.Tests.Adoption;

/// <summary>
/// This repository's packages in a local folder feed, packed once for the class by the stage the Pack target runs, under a
/// version of their own (so NuGet's global package folder cannot hand back an older build of the same version); those
/// versions are removed from that folder again afterwards.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    public static readonly string[] Projects = ["src/Slipway/Slipway.csproj", "src/Slipway.Release/Slipway.Release.csproj", "src/Slipway.Tool/Slipway.Tool.csproj"];

    private readonly TempDirectory _directory = new();

    private RecordingLog Log { get; } = new();

    public IProcessRunner Runner => new ProcessRunner(Log, new SecretRegistry());

    public string Version { get; } = $"0.0.0-adoption.t{Guid.NewGuid():N}"[..30];

    public string Feed => _directory.Combine("feed");

    public IReadOnlyList<string> Packages { get; private set; } = [];

    /// <summary>Inside this repository's ignored .nuke/temp, as the Pack target's: the packer keeps the build in the source tree.</summary>
    private string BuildDirectory => Path.Combine(TestRepository.Root, ".nuke", "temp", $"pack-{Version}");

    public async Task InitializeAsync()
    {
        var request = new PackRequest(Projects, Version, Feed, BuildDirectory);
        Packages = (await new NuGetPacker(Runner, Log).PackAsync(request, TestRepository.Root)).Paths;
    }

    public Task DisposeAsync()
    {
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "slipway", "slipway.release", "slipway.tool" })
        {
            var restored = Path.Combine(globalPackages, id, Version);
            if (Directory.Exists(restored))
                Directory.Delete(restored, recursive: true);
        }

        if (Directory.Exists(BuildDirectory))
            Directory.Delete(BuildDirectory, recursive: true);
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
