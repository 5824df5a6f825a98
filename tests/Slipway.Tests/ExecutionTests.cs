using System.Collections.Concurrent;
using Slipway.Execution;
using Slipway.Tests.Support;

namespace Slipway.Tests;

public sealed class ExecutionTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private sealed class Failing : SlipwayBuild
    {
        public ConcurrentQueue<string> Events { get; } = new();

        Target Setup => _ => _
            .Executes(() => Events.Enqueue("setup"))
            .Cleanup(_ =>
            {
                Events.Enqueue("cleanup");
                return Task.CompletedTask;
            });

        Target Broken => _ => _.DependsOn(Setup).Executes(() => throw new InvalidOperationException("the widget is bent"));

        Target AfterBroken => _ => _.DependsOn(Broken).Executes(() => Events.Enqueue("after-broken"));

        Target Independent => _ => _.After(Broken).Executes(() => Events.Enqueue("independent"));

        Target Tolerated => _ => _.ProceedAfterFailure().Executes(() => throw new InvalidOperationException("tolerated failure"));

        Target Default => _ => _.DependsOn(AfterBroken, Independent);

        Target Tolerant => _ => _.DependsOn(Tolerated, Independent);

        Target NeverStarted => _ => _
            .OnlyWhen(() => false, "not today")
            .Executes(() => Events.Enqueue("never"))
            .Cleanup(_ =>
            {
                Events.Enqueue("never-cleanup");
                return Task.CompletedTask;
            });

        Target SkipsThenRuns => _ => _.DependsOn(NeverStarted).Executes(() => Events.Enqueue("dependent-of-skipped"));

        Target FailingCleanup => _ => _
            .Executes(() => Events.Enqueue("ran"))
            .Cleanup(_ => throw new IOException("could not remove the scratch dir"));
    }

    [Fact]
    public async Task A_failure_exits_1_does_not_run_dependents_or_start_new_work_and_still_cleans_up()
    {
        var build = new Failing();
        var run = await BuildRun.RunAsync(_workspace, ["--max-parallel", "1"], build: build);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Equal(TargetStatus.Failed, run.Outcome("Broken").Status);
        Assert.Equal("not run: Broken failed", run.Outcome("AfterBroken").StatusText);
        Assert.Equal(TargetStatus.NotRun, run.Outcome("Independent").Status);
        Assert.DoesNotContain("after-broken", build.Events);
        Assert.Equal(["setup", "cleanup"], build.Events);
        Assert.Contains("the widget is bent", run.Output);
        Assert.Equal(TargetStatus.Succeeded, run.Outcome("Setup (cleanup)").Status);
    }

    [Fact]
    public async Task Proceed_after_failure_lets_independent_targets_run()
    {
        var build = new Failing();
        var run = await BuildRun.RunAsync(_workspace, ["Tolerant", "--max-parallel", "1"], build: build);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("independent", build.Events);
        Assert.Equal("not run: Tolerated failed", run.Outcome("Tolerant").StatusText);
    }

    [Fact]
    public async Task A_condition_skips_with_its_reason_its_cleanup_does_not_run_and_dependents_still_run()
    {
        var build = new Failing();
        var run = await BuildRun.RunAsync(_workspace, ["SkipsThenRuns"], build: build);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("skipped: not today", run.Outcome("NeverStarted").StatusText);
        Assert.Equal(["dependent-of-skipped"], build.Events);
        Assert.Contains("skipped: not today", run.Report.ToTable());
    }

    [Fact]
    public async Task A_failing_cleanup_fails_the_build_and_is_named()
    {
        var run = await BuildRun.RunAsync<Failing>(_workspace, ["FailingCleanup"]);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Equal("failed: could not remove the scratch dir", run.Outcome("FailingCleanup (cleanup)").StatusText);
    }

    private sealed class Cancellable : SlipwayBuild
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string> Events { get; } = new();

        Target Registry => _ => _
            .Executes(() => Events.Enqueue("registry started"))
            .Cleanup(async ct =>
            {
                await Task.Delay(10, ct);
                Events.Enqueue("registry stopped");
            });

        Target Long => _ => _
            .DependsOn(Registry)
            .Executes(async ct =>
            {
                Started.SetResult();
                await Task.Delay(Timeout.Infinite, ct);
            });

        Target Stubborn => _ => _
            .DependsOn(Registry)
            .Executes(async () =>
            {
                Started.SetResult();
                await Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None);
            });

        Target Later => _ => _.DependsOn(Long).Executes(() => Events.Enqueue("later"));
    }

    [Fact]
    public async Task Cancellation_stops_running_targets_runs_cleanups_and_exits_130()
    {
        var build = new Cancellable();
        using var cancellation = new CancellationTokenSource();
        var running = BuildRun.RunAsync(_workspace, ["Later"], cancellation: cancellation.Token, build: build);
        await build.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();
        var run = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ExitCodes.Interrupted, run.ExitCode);
        Assert.Equal(TargetStatus.Cancelled, run.Outcome("Long").Status);
        Assert.Equal(TargetStatus.NotRun, run.Outcome("Later").Status);
        Assert.Equal(["registry started", "registry stopped"], build.Events);
    }

    [Fact]
    public async Task A_target_that_ignores_cancellation_is_abandoned_after_the_grace_period_and_cleanups_still_run()
    {
        var build = new Cancellable();
        using var cancellation = new CancellationTokenSource();
        var running = BuildRun.RunAsync(_workspace, ["Stubborn"], cancellation: cancellation.Token, build: build);
        await build.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();
        var run = await running.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(ExitCodes.Interrupted, run.ExitCode);
        Assert.Equal("cancelled", run.Outcome("Stubborn").StatusText);
        Assert.Contains("registry stopped", build.Events);
    }

    private sealed class Parallel : SlipwayBuild
    {
        private readonly Barrier _bothRunning = new(2);

        private int _running;

        public int Overlapped;

        public int MostAtOnce;

        Target Left => _ => _.Executes(() => Meet());

        Target Right => _ => _.Executes(() => Meet());

        Target Count1 => _ => _.Executes(() => Count());

        Target Count2 => _ => _.Executes(() => Count());

        Target Count3 => _ => _.Executes(() => Count());

        Target Counted => _ => _.DependsOn(Count1, Count2, Count3);

        Target Chatty1 => _ => _.Executes(() => Chat("one"));

        Target Chatty2 => _ => _.Executes(() => Chat("two"));

        Target Chatty3 => _ => _.Executes(() => Chat("three"));

        Target Default => _ => _.DependsOn(Left, Right);

        Target Chatter => _ => _.DependsOn(Chatty1, Chatty2, Chatty3);

        private void Meet()
        {
            // Both targets must be inside their actions at the same time for the barrier to open.
            if (_bothRunning.SignalAndWait(TimeSpan.FromSeconds(10)))
                Interlocked.Increment(ref Overlapped);
        }

        private void Count()
        {
            var now = Interlocked.Increment(ref _running);
            lock (_bothRunning)
                MostAtOnce = Math.Max(MostAtOnce, now);
            Thread.Sleep(50);
            Interlocked.Decrement(ref _running);
        }

        private void Chat(string who)
        {
            for (var i = 0; i < 300; i++)
                Log.Info($"<{who}:{i}:{new string('x', 200)}>");
        }
    }

    [Fact]
    public async Task Independent_targets_run_at_the_same_time()
    {
        var build = new Parallel();
        var run = await BuildRun.RunAsync(_workspace, ["--max-parallel", "2"], build: build);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, build.Overlapped);
    }

    [Fact]
    public async Task With_max_parallel_1_independent_targets_never_overlap()
    {
        var build = new Parallel();
        var run = await BuildRun.RunAsync(_workspace, ["Counted", "--max-parallel", "1"], build: build);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, build.MostAtOnce);
    }

    [Fact]
    public async Task Output_of_parallel_targets_never_interleaves_within_a_line()
    {
        var run = await BuildRun.RunAsync<Parallel>(_workspace, ["Chatter", "--max-parallel", "3"]);

        var payloadLines = run.Lines.Where(line => line.Contains('<')).ToList();
        Assert.Equal(900, payloadLines.Count);
        Assert.All(payloadLines, line => Assert.Matches(@"^Chatty\d +│ <(one|two|three):\d+:x{200}>$", line));
        foreach (var (target, who) in new[] { ("Chatty1", "one"), ("Chatty2", "two"), ("Chatty3", "three") })
            Assert.All(payloadLines.Where(line => line.StartsWith(target, StringComparison.Ordinal)), line => Assert.Contains($"<{who}:", line));
    }

    private sealed record Digest(string Value);

    private sealed class Results : SlipwayBuild
    {
        public string? Seen;

        Target Produce => _ => _.Produces(_ => Task.FromResult(new Digest("sha256:abc")));

        Target Consume => _ => _.DependsOn(Produce).Executes(() => Seen = ResultOf<Digest>(Produce).Value);

        Target Sneaky => _ => _.Executes(() => Seen = ResultOf<Digest>(Produce).Value);

        Target Default => _ => _.DependsOn(Consume);

        Target SneakyRun => _ => _.DependsOn(Produce, Sneaky);
    }

    [Fact]
    public async Task A_target_reads_the_typed_result_of_a_dependency()
    {
        var build = new Results();
        var run = await BuildRun.RunAsync(_workspace, [], build: build);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("sha256:abc", build.Seen);
    }

    [Fact]
    public async Task Reading_the_result_of_a_target_it_does_not_depend_on_fails_naming_the_fix()
    {
        var run = await BuildRun.RunAsync<Results>(_workspace, ["SneakyRun"]);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("Sneaky reads the result of Produce but does not depend on it: add .DependsOn(Produce)", run.Output);
    }

    private sealed class Planned : SlipwayBuild
    {
        public List<string> Seen { get; } = [];

        Target Lane => _ => _.Executes(() => { });

        Target Other => _ => _.Executes(() => { });

        Target Build => _ => _.Executes(() => Seen.AddRange(new[] { ("Lane", IsPlanned(Lane)), ("Other", IsPlanned(Other)), ("Build", IsPlanned(Build)) }.Where(item => item.Item2).Select(item => item.Item1)));

        Target Smoke => _ => _.DependsOn(Build, Lane);
    }

    [Theory]
    [InlineData("Smoke", new[] { "Lane", "Build" })]
    [InlineData("Build", new[] { "Build" })]
    public async Task A_target_can_ask_which_targets_the_run_s_plan_holds(string requested, string[] expected)
    {
        var build = new Planned();
        var run = await BuildRun.RunAsync(_workspace, [requested], build: build);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected, build.Seen);
    }

    private sealed class Reporting : SlipwayBuild
    {
        public string? Seen;

        Target Work => _ => _.Executes(() => { });

        Target Sign => _ => _.DependsOn(Work).Executes(() => throw new InvalidOperationException("no key"));

        Target Record => _ => _.DependsOn(Work).Collects(Sign).Executes(() => Seen = OutcomeOf(Sign).StatusText);
    }

    [Fact]
    public async Task A_collecting_target_runs_after_a_failure_and_reads_the_outcome()
    {
        var build = new Reporting();
        var run = await BuildRun.RunAsync(_workspace, ["Record", "--max-parallel", "1"], build: build);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Equal("failed: no key", build.Seen);
        Assert.Equal(TargetStatus.Succeeded, run.Outcome("Record").Status);
    }

    [Fact]
    public async Task The_summary_table_lists_every_target_with_status_and_a_verdict()
    {
        var run = await BuildRun.RunAsync<Failing>(_workspace, ["SkipsThenRuns"]);

        var table = run.Report.ToTable();
        Assert.Contains("NeverStarted", table);
        Assert.Contains("skipped: not today", table);
        Assert.Contains("Total", table);
        Assert.Contains("Build succeeded", run.Lines.Last(line => line.Length > 0));
    }
}

public sealed class BuildLogFileTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private sealed class Tiny : SlipwayBuild
    {
        Target Default => _ => _.Executes(() => Log.Info($"run {Environment.TickCount64}"));
    }

    [Fact]
    public async Task Every_run_is_logged_and_only_the_last_five_runs_are_kept()
    {
        for (var run = 0; run < 7; run++)
            await BuildRun.RunAsync<Tiny>(_workspace, []);

        var logs = Directory.GetFiles(Path.Combine(_workspace.Root, ".nuke", "temp"), "build*.log").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["build.1.log", "build.2.log", "build.3.log", "build.4.log", "build.log"], logs);
        var latest = await File.ReadAllTextAsync(Path.Combine(_workspace.Root, ".nuke", "temp", "build.log"));
        Assert.Contains("[Default] run", latest);
        Assert.Contains("Build succeeded", latest);
        Assert.Contains("Total", latest);
    }
}
