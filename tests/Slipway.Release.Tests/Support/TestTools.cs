using Slipway.Logging;
using Slipway.Processes;
using Slipway.Release.Tools;

namespace Slipway.Release.Tests.Support;

/// <summary>Real tools for tests, resolved the way a build does: PATH, else the shared tool cache, else a pinned source.</summary>
internal static class TestTools
{
    public static Task<ResolvedTool> ResolveAsync(PinnedTool tool, IProcessRunner runner, IBuildLog log) =>
        new ToolResolver(runner, log, ToolCache.Default, Environment.GetEnvironmentVariable("PATH")).ResolveAsync(tool);
}
