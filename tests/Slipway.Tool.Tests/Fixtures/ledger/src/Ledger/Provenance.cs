namespace Ledger;

/// <summary>What this binary was built from: the SDK's informational version is "version+commit".</summary>
public sealed record Provenance(string Release, string Commit)
{
    public static Provenance Parse(string? informationalVersion) =>
        informationalVersion?.Split('+') is [var release, var commit] && release.Length > 0 && commit.Length > 0
            ? new Provenance(release, commit)
            : new Provenance(informationalVersion ?? "unknown", "unknown");
}
