using System.Reflection;

namespace Beacon.Provenance;

/// <summary>What this binary was built from, baked in at build time through the
/// BeaconVersion, BeaconGitSha and BeaconCommitTime MSBuild properties.</summary>
public sealed record BuildInfo(string Version, string GitSha, string CommitTime)
{
    public static BuildInfo FromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var metadata = assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Where(a => a.Value is not null)
            .GroupBy(a => a.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value!, StringComparer.Ordinal);

        return new BuildInfo(
            Read(metadata, "BeaconVersion"),
            Read(metadata, "BeaconGitSha"),
            Read(metadata, "BeaconCommitTime"));
    }

    private static string Read(Dictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new InvalidOperationException($"Assembly metadata '{key}' is missing: the build did not stamp it.");
}
