namespace Slipway;

/// <summary>One in-process run of a build, as <c>./build.sh</c> would start it: for testing a build without spawning it.</summary>
public sealed record BuildInvocation(IReadOnlyList<string> Arguments, string WorkingDirectory, TextWriter Output)
{
    /// <summary>The run's environment variables; none by default, so the caller's SLIPWAY_* variables cannot leak in.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The target run when none is named.</summary>
    public string DefaultTarget { get; init; } = "Default";
}
