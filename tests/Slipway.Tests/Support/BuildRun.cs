using Slipway.Execution;

namespace Slipway.Tests.Support;

/// <summary>Runs a build in-process, as ./build.sh would, with a captured output and a chosen environment.</summary>
public sealed record BuildRun(int ExitCode, string Output, RunReport Report)
{
    public IReadOnlyList<string> Lines => Output.Split('\n').Select(line => line.TrimEnd('\r')).ToList();

    public TargetOutcome Outcome(string target) => Report.Outcomes.Single(outcome => outcome.Name == target);

    public static async Task<BuildRun> RunAsync<TBuild>(
        TestWorkspace workspace,
        string[] args,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellation = default,
        string defaultTarget = "Default",
        TBuild? build = null)
        where TBuild : SlipwayBuild, new()
    {
        build ??= new TBuild();
        var output = new SynchronizedStringWriter();
        var engineEnvironment = new EngineEnvironment(output, environment ?? new Dictionary<string, string>(), workspace.Root, IsTerminal: false);
        var exitCode = await build.RunAsync(args, defaultTarget, engineEnvironment, cancellation);
        return new BuildRun(exitCode, output.ToString(), build.Report);
    }
}

/// <summary>A StringWriter whose every call is atomic, as the console is.</summary>
public sealed class SynchronizedStringWriter : StringWriter
{
    private readonly object _gate = new();

    public override void Write(char value)
    {
        lock (_gate)
            base.Write(value);
    }

    public override void Write(string? value)
    {
        lock (_gate)
            base.Write(value);
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
            base.WriteLine(value);
    }

    public override string ToString()
    {
        lock (_gate)
            return base.ToString();
    }
}
