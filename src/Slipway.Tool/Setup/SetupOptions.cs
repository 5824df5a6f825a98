namespace Slipway.Tool.Setup;

/// <summary>
/// What setup is told; everything else it finds itself. Null means "find it": the service project (the only ASP.NET Core
/// project), the chart (the only one under charts/). The smoke endpoints cannot be found, so they have defaults that the
/// written build/Build.cs shows, to edit there.
/// </summary>
public sealed record SetupOptions
{
    /// <summary>Slipway's convention for the provenance endpoint: <c>GET /version</c> answering these three fields.</summary>
    public static readonly IReadOnlyList<string> ConventionalProvenanceFields = ["version", "git_sha", "chart_version"];

    public string? Project { get; init; }

    public string? Chart { get; init; }

    /// <summary>An extra NuGet source for the Slipway packages (a folder feed), written into the build project.</summary>
    public string? Source { get; init; }

    public string ProvenancePath { get; init; } = "/version";

    /// <summary>The provenance endpoint's fields for version, git sha and chart version, in that order.</summary>
    public IReadOnlyList<string> ProvenanceFields { get; init; } = ConventionalProvenanceFields;

    public IReadOnlyList<string> ProtectedPaths { get; init; } = [];

    /// <summary>Replace files setup writes (build.sh, build.cmd, build/_build.csproj, build/Build.cs) even when they differ.</summary>
    public bool Force { get; init; }
}
