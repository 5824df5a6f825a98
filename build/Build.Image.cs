using System.Globalization;
using Slipway.Release.Containers;
using Slipway.Release.Smoke;
using Slipway.Release.Versioning;

/// <summary>Beacon's image: the project, the provenance it bakes into its binary, and where the smoke finds it.</summary>
partial class Build : IContainerImage
{
    string IContainerImage.ImageProject => "src/Beacon/Beacon.csproj";

    IReadOnlyDictionary<string, string> IContainerImage.ImageBuildProperties(ReleaseVersion version) => new Dictionary<string, string>
    {
        ["BeaconVersion"] = version.Version.ToString(),
        ["BeaconGitSha"] = version.Git.Sha,
        ["BeaconCommitTime"] = version.Git.CommitTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    };

    /// <summary>Beacon reports its provenance at /version; /api/v1/health is behind JWT bearer authentication.</summary>
    SmokeEndpoints ISmokeContract.SmokeEndpoints => new(
        new ProvenanceEndpoint("/version", versionField: "version", gitShaField: "git_sha", chartVersionField: "chart_version"),
        protectedPaths: ["/api/v1/health"]);
}
