using Slipway.Execution;
using Slipway.Tests.Support;

namespace Slipway.Tests;

/// <summary>Skip reasons computed when a target is about to run: one record of the skip, in the outcome, the summary and the plan.</summary>
public sealed class SkipReasonTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private sealed record Verdict(string? Objection);

    private sealed class Gated : SlipwayBuild
    {
        [Parameter("How the probe answers")]
        readonly string? Mode;

        public List<string> Ran { get; } = [];

        Target Probe => _ => _.Produces(_ => Task.FromResult(new Verdict(Mode == "object" ? $"the probe objects (mode {Mode})" : null)));

        Target Late => _ => _
            .DependsOn(Probe)
            .OnlyWhen("the probe has no objection", () => ResultOf<Verdict>(Probe).Objection)
            .Executes(() => Ran.Add(nameof(Late)));

        Target Early => _ => _
            .OnlyWhen("no --mode", () => Mode is null ? null : $"--mode {Mode} was given")
            .Executes(() => Ran.Add(nameof(Early)));

        Target Undecidable => _ => _
            .OnlyWhen("the oracle agrees", () => throw new InvalidOperationException("the oracle is out"))
            .Executes(() => Ran.Add(nameof(Undecidable)));

        Target Default => _ => _.DependsOn(Late, Early);
    }

    [Fact]
    public async Task A_reason_computed_from_an_earlier_result_skips_the_target_and_is_its_outcome()
    {
        var build = new Gated();
        var run = await BuildRun.RunAsync(_workspace, ["--mode", "object"], build: build);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(build.Ran);
        Assert.Equal(new TargetOutcome("Late", TargetStatus.Skipped, "the probe objects (mode object)", TimeSpan.Zero, TimeSpan.Zero), run.Outcome("Late"));
        Assert.Equal("skipped: --mode object was given", run.Outcome("Early").StatusText);
        Assert.Contains("skipped: the probe objects (mode object)", run.Report.ToTable());
        Assert.Contains("| Late | skipped: the probe objects (mode object) |", run.Report.ToMarkdown());
    }

    [Fact]
    public async Task No_reason_runs_the_target()
    {
        var build = new Gated();
        var run = await BuildRun.RunAsync(_workspace, [], build: build);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Early", "Late"], build.Ran.Order());
    }

    [Fact]
    public async Task The_plan_shows_a_reason_it_can_compute_and_says_which_it_cannot_yet()
    {
        var run = await BuildRun.RunAsync<Gated>(_workspace, ["--plan", "--mode", "x"]);

        Assert.Contains("    Early  [skipped: --mode x was given]", run.Lines);
        Assert.Contains("    Late  after Probe  [only when the probe has no objection: decided when it runs]", run.Lines);
    }

    [Fact]
    public async Task Help_names_what_a_condition_requires()
    {
        var run = await BuildRun.RunAsync<Gated>(_workspace, ["--help"]);

        Assert.Contains("(depends on Probe; only when: the probe has no objection)", run.Output);
        Assert.Contains("(only when: no --mode)", run.Output);
    }

    [Fact]
    public async Task A_condition_that_throws_fails_the_target_naming_what_it_checks()
    {
        var build = new Gated();
        var run = await BuildRun.RunAsync(_workspace, ["Undecidable"], build: build);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Equal("failed: condition could not be evaluated", run.Outcome("Undecidable").StatusText);
        Assert.Contains("Its condition (the oracle agrees) could not be evaluated: the oracle is out", run.Output);
        Assert.Empty(build.Ran);
    }
}
