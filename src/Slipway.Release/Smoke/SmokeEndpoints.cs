namespace Slipway.Release.Smoke;

/// <summary>
/// The endpoint that reports what the image was built from, and the JSON fields (top-level strings) that carry the
/// version, the git sha and the chart version the pipeline stamped.
/// </summary>
public sealed record ProvenanceEndpoint
{
    public ProvenanceEndpoint(string path, string versionField, string gitShaField, string chartVersionField)
    {
        Path = SmokeEndpoints.CheckPath(path, "the provenance endpoint");
        string[] fields = [versionField, gitShaField, chartVersionField];
        if (fields.Any(string.IsNullOrWhiteSpace) || fields.Distinct(StringComparer.Ordinal).Count() != fields.Length)
        {
            throw new ArgumentException(
                $"The provenance endpoint {path} needs three distinct, non-empty field names for version, git sha and chart version " +
                $"(got '{versionField}', '{gitShaField}', '{chartVersionField}'): fix SmokeEndpoints in the build.");
        }

        VersionField = versionField;
        GitShaField = gitShaField;
        ChartVersionField = chartVersionField;
    }

    public string Path { get; }

    public string VersionField { get; }

    public string GitShaField { get; }

    public string ChartVersionField { get; }
}

/// <summary>
/// What the smoke checks beyond the chart's probes, declared by the build (<c>ISmokeContract.SmokeEndpoints</c>): the
/// provenance endpoint must report what was stamped, and every protected path must answer 401 to a caller without
/// credentials. Paths and ports of the probes come from the chart itself.
/// </summary>
public sealed record SmokeEndpoints
{
    public SmokeEndpoints(ProvenanceEndpoint provenance, IReadOnlyList<string> protectedPaths)
    {
        Provenance = provenance ?? throw new ArgumentNullException(nameof(provenance));
        ArgumentNullException.ThrowIfNull(protectedPaths);
        ProtectedPaths = [.. protectedPaths.Select(path => CheckPath(path, "a protected endpoint"))];
    }

    public ProvenanceEndpoint Provenance { get; }

    /// <summary>Paths that must refuse an anonymous <c>GET</c> with 401; may be empty for a service with no protected endpoint.</summary>
    public IReadOnlyList<string> ProtectedPaths { get; }

    internal static string CheckPath(string path, string what) =>
        path is ['/', ..] && !path.Any(char.IsWhiteSpace)
            ? path
            : throw new ArgumentException($"The path of {what}, '{path}', must start with '/' and hold no whitespace: fix SmokeEndpoints in the build.");
}
