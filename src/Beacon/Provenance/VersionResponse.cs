using System.Text.Json.Serialization;

namespace Beacon.Provenance;

/// <summary>The body of GET /version (the smoke contract's field names).</summary>
public sealed record VersionResponse(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("git_sha")] string GitSha,
    [property: JsonPropertyName("chart_version")] string ChartVersion,
    [property: JsonPropertyName("commit_time")] string CommitTime)
{
    /// <summary>Environment variable the Helm chart sets to its own chart version.</summary>
    public const string ChartVersionVariable = "CHART_VERSION";

    /// <summary>Reported when the process was not started by the chart.</summary>
    public const string NoChart = "none";

    public static VersionResponse Create(BuildInfo build, string? chartVersion)
    {
        ArgumentNullException.ThrowIfNull(build);
        return new VersionResponse(
            build.Version,
            build.GitSha,
            string.IsNullOrWhiteSpace(chartVersion) ? NoChart : chartVersion.Trim(),
            build.CommitTime);
    }
}
