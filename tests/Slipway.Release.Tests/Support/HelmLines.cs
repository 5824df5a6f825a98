using Slipway.Logging;
using Slipway.Processes;
using Slipway.Release.Tools;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Support;

/// <summary>
/// The helm lines Slipway is tested with: the default helm 4 and the helm 3 line, each the exact pinned binary from the
/// shared tool cache (provisioned through the resolver, PATH never consulted), so a helm on the machine's PATH cannot
/// stand in for either.
/// </summary>
internal static class HelmLines
{
    public const string Helm4 = "4.1.4";

    public const string Helm3 = "3.17.2";

    public static IReadOnlyList<string> All { get; } = [Helm4, Helm3];

    public static TheoryData<string> Both => new(All);

    public static PinnedTool Pinned(string line) => line switch
    {
        Helm4 => PinnedTools.Helm,
        Helm3 => PinnedTools.Helm3,
        _ => throw new ArgumentOutOfRangeException(nameof(line), line, "Not a tested helm line."),
    };

    public static async Task<ResolvedTool> ResolveAsync(string line, IProcessRunner? runner = null, IBuildLog? log = null)
    {
        log ??= new RecordingLog();
        var pinned = Pinned(line);
        var tool = await new ToolResolver(runner ?? new ProcessRunner(log, new SecretRegistry()), log, ToolCache.Default, searchPath: string.Empty).ResolveAsync(pinned);
        Assert.Equal(pinned.Version, tool.Version);
        return tool;
    }

    /// <summary>The build arguments that make a build under test run this line.</summary>
    public static async Task<string[]> BuildArgumentsAsync(string line) => ["--helm", (await ResolveAsync(line)).Path];
}
