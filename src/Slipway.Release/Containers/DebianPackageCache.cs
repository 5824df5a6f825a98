using Slipway.Logging;
using Slipway.Processes;
using Slipway.Release.Tools;

namespace Slipway.Release.Containers;

/// <summary>
/// Downloads Debian packages of any architecture with a private apt state (<c>apt-get download</c>: no install, no change
/// to the system's apt configuration), into <c>&lt;tool cache&gt;/debian-packages/&lt;arch&gt;</c>. A set already there is
/// reused without touching the network, so a warm machine builds offline.
/// </summary>
public sealed class DebianPackageCache(IProcessRunner runner, ToolCache cache, IBuildLog log)
{
    /// <summary>The cached <c>.deb</c> of every package, keyed by package name; downloads the set when any is missing.</summary>
    public async Task<IReadOnlyDictionary<string, string>> EnsureAsync(string architecture, IReadOnlyList<string> packages, CancellationToken cancellationToken = default)
    {
        var folder = cache.PathFor("debian-packages", architecture);
        var debs = Path.Combine(folder, "debs");
        if (Find(debs, packages) is { } cached)
        {
            log.Debug($"Debian packages for {architecture} come from the cache at {debs}.");
            return cached;
        }

        log.Info($"Downloading Debian packages for {architecture} ({string.Join(' ', packages)}) into {debs}, with a private apt state.");
        Directory.CreateDirectory(folder);

        // Downloaded next to the final folder and swapped in whole, so a failed or concurrent download never leaves half a set.
        var staging = Directory.CreateDirectory(Path.Combine(folder, $".staging-{Guid.NewGuid():N}"));
        try
        {
            await DebianPackages.DownloadAsync(runner, packages, staging.FullName, Path.Combine(folder, "apt"), architecture, cancellationToken);
            if (Find(staging.FullName, packages) is null)
                throw new InvalidOperationException($"apt-get download did not produce a .deb for each of {string.Join(' ', packages)} in {staging.FullName}.");
            if (Directory.Exists(debs))
                Directory.Delete(debs, recursive: true);
            Directory.Move(staging.FullName, debs);
        }
        finally
        {
            if (staging.Exists)
                staging.Delete(recursive: true);
        }

        return Find(debs, packages)!;
    }

    private static Dictionary<string, string>? Find(string folder, IReadOnlyList<string> packages)
    {
        if (!Directory.Exists(folder))
            return null;
        // apt names a download <name>_<version>_<arch>.deb; a name never contains '_'.
        var byName = Directory.EnumerateFiles(folder, "*.deb")
            .GroupBy(path => Path.GetFileName(path).Split('_')[0], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Order(StringComparer.Ordinal).Last(), StringComparer.Ordinal);
        return packages.All(byName.ContainsKey) ? packages.ToDictionary(name => name, name => byName[name], StringComparer.Ordinal) : null;
    }
}
