using Slipway.Execution;

namespace Slipway.Release.Tests.Support;

/// <summary>One in-process run of a build, as <c>./build.sh</c> would run it in <c>root</c>: its exit code, output and report.</summary>
/// <param name="RunTemporaryDirectory">The run's temp root (gone once the run ended); null when the run never got to running targets.</param>
internal sealed record InProcessBuild(int ExitCode, string Output, RunReport Report, string? RunTemporaryDirectory)
{
    public TargetOutcome Outcome(string target) => Report.Outcomes.Single(outcome => outcome.Name == target);

    public void Deconstruct(out int exitCode, out string output) => (exitCode, output) = (ExitCode, Output);

    /// <param name="environment">The run's environment variables; none by default, so the test runner's own cannot leak in.</param>
    public static async Task<InProcessBuild> RunAsync<TBuild>(string root, string[] args, IReadOnlyDictionary<string, string>? environment = null)
        where TBuild : SlipwayBuild, new()
    {
        var build = new TBuild();
        var output = new StringWriter();
        var invocation = new BuildInvocation(args, root, output) { Environment = environment ?? new Dictionary<string, string>() };
        var exitCode = await build.InvokeAsync(invocation);
        return new InProcessBuild(exitCode, output.ToString(), build.Report, TemporaryDirectoryOf(build));
    }

    private static string? TemporaryDirectoryOf(SlipwayBuild build)
    {
        try
        {
            return build.TemporaryDirectory;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
