using Slipway.Logging;
using Slipway.Processes;
using Slipway.Release.Tools;

namespace Slipway.Release.Registry;

/// <summary>
/// Finds or fetches the CNCF distribution registry binary: <c>docker-registry</c> or <c>registry</c> on PATH, else Debian's
/// <c>docker-registry</c> package, downloaded with a private apt state (the system's apt lists and packages are not touched)
/// and unpacked into the tool cache at <c>docker-registry/&lt;debian version&gt;</c>.
/// </summary>
public sealed class RegistryBinaryProvisioner(IProcessRunner runner, ToolCache cache, IBuildLog log, IEnumerable<string>? searchPath = null)
{
    public const string DebianPackage = "docker-registry";
    private const string BinaryInPackage = "usr/bin/docker-registry";
    private static readonly string[] NamesOnPath = ["docker-registry", "registry"];
    private static readonly TimeSpan AptTimeout = TimeSpan.FromMinutes(5);

    private readonly IEnumerable<string> _searchPath =
        searchPath ?? (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

    private string PackageRoot => Path.Combine(cache.Root, DebianPackage);

    /// <summary>Returns the path of a registry binary that answers <c>--version</c> as the distribution registry.</summary>
    public async Task<string> ProvisionAsync(CancellationToken cancellationToken = default)
    {
        foreach (var candidate in OnPath().Concat(Cached()))
        {
            if (await IsDistributionRegistryAsync(candidate, cancellationToken))
            {
                log.Debug($"Using the registry binary at {candidate}.");
                return candidate;
            }
        }

        try
        {
            return await DownloadAsync(cancellationToken);
        }
        catch (ToolFailedException exception)
        {
            throw new EmbeddedRegistryException(
                "No OCI registry to run: neither 'docker-registry' nor 'registry' (the CNCF distribution registry) is on PATH, " +
                $"none is cached under {PackageRoot}, and fetching Debian's '{DebianPackage}' package failed: {exception.Message}" + Environment.NewLine +
                $"Install it with 'apt-get install {DebianPackage}', or run Docker's registry image ('docker run -d -p 5000:5000 registry:2') and pass its address as the registry.",
                exception);
        }
    }

    private IEnumerable<string> OnPath() =>
        _searchPath.SelectMany(directory => NamesOnPath.Select(name => Path.Combine(directory, name))).Where(File.Exists);

    private IEnumerable<string> Cached() =>
        Directory.Exists(PackageRoot)
            ? Directory.EnumerateDirectories(PackageRoot)
                .Where(directory => !Path.GetFileName(directory).StartsWith('.'))
                .OrderDescending(StringComparer.Ordinal)
                .Select(directory => Path.Combine(directory, BinaryInPackage))
                .Where(File.Exists)
            : [];

    private async Task<bool> IsDistributionRegistryAsync(string path, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new ToolCommand(path, "--version") { ThrowOnFailure = false, StreamOutput = false, Timeout = TimeSpan.FromSeconds(10) }, cancellationToken);
        return result.Succeeded && result.StandardOutput.Contains("distribution", StringComparison.Ordinal);
    }

    private async Task<string> DownloadAsync(CancellationToken cancellationToken)
    {
        log.Info($"Fetching Debian's '{DebianPackage}' package into {PackageRoot} (no system install).");
        // Staged next to the final folder, so the last step is an atomic rename on the same file system. The private apt
        // state lives in the staging folder too: it is only needed for this download and goes with it.
        var staging = Directory.CreateDirectory(Path.Combine(PackageRoot, $".staging-{Guid.NewGuid():N}"));
        try
        {
            var unpacked = Path.Combine(staging.FullName, "root");
            var version = (await DebianPackages.ExtractAsync(runner, [DebianPackage], unpacked, Path.Combine(staging.FullName, "apt"), cancellationToken: cancellationToken))[DebianPackage];

            var target = cache.PathFor(DebianPackage, version);
            try
            {
                Directory.Move(unpacked, target);
            }
            catch (IOException) when (File.Exists(Path.Combine(target, BinaryInPackage)))
            {
                // Another build unpacked the same version first; theirs is as good as ours.
            }

            log.Info($"Cached docker-registry {version} at {target}.");
            return Path.Combine(target, BinaryInPackage);
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }
}
