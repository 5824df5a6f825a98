namespace Slipway.Release.Tools;

/// <summary>Pinned tools for any component, each resolved once per build when a target first needs it (see <see cref="ToolResolver"/>).</summary>
public interface IPinnedTools : ISlipwayBuild
{
    /// <summary>Where provisioned tools live (<see cref="ToolCache.FromEnvironment"/> over the run's environment).</summary>
    ToolCache ToolCache => ToolCache.FromEnvironment(Variable);

    Task<ResolvedTool> ResolveToolAsync(PinnedTool tool, ToolRequest? request, CancellationToken cancellationToken) =>
        Shared(() => new ToolResolver(Processes, Log, ToolCache, Variable("PATH"))).ResolveAsync(tool, request, cancellationToken);
}
