using System.Globalization;
using Slipway.Release.Containers;
using Slipway.Release.Versioning;

/// <summary>Beacon's image: the project, and the provenance it bakes into its binary for /version.</summary>
partial class Build : IContainerImage
{
    string IContainerImage.ImageProject => "src/Beacon/Beacon.csproj";

    IReadOnlyDictionary<string, string> IContainerImage.ImageBuildProperties(ReleaseVersion version) => new Dictionary<string, string>
    {
        ["BeaconVersion"] = version.Version.ToString(),
        ["BeaconGitSha"] = version.Git.Sha,
        ["BeaconCommitTime"] = version.Git.CommitTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    };
}
