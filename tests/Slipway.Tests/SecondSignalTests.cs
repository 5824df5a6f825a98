using System.Collections.Concurrent;
using System.Diagnostics;
using Slipway.Execution;
using Slipway.Tests.Support;

namespace Slipway.Tests;

/// <summary>A second stop request cuts every wait short but skips no cleanup (in-process; the process-level sequences are in BuildScriptTests).</summary>
public sealed class SecondSignalTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private sealed class SlowToStop : SlipwayBuild
    {
        public TaskCompletionSource CleanupStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string> Events { get; } = new();

        Target First => _ => _
            .Executes(() => { })
            .Cleanup(_ =>
            {
                Events.Enqueue("first cleaned up");
                return Task.CompletedTask;
            });

        Target Second => _ => _
            .DependsOn(First)
            .Executes(() => { })
            .Cleanup(async ct =>
            {
                CleanupStarted.SetResult();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(60), ct);
                }
                finally
                {
                    Events.Enqueue(ct.IsCancellationRequested ? "second cut short" : "second done");
                }
            });

        Target Stubborn => _ => _
            .DependsOn(Second)
            .Executes(async () =>
            {
                Events.Enqueue("stubborn started");
                await Task.Delay(TimeSpan.FromSeconds(60), CancellationToken.None);
            });
    }

    [Fact]
    public async Task A_second_signal_cuts_the_running_cleanup_short_and_still_runs_every_later_one()
    {
        var build = new SlowToStop();
        using var signals = new RunSignals();
        // The budget would let the slow cleanup run for its whole minute; the second signal must not wait for that.
        var running = build.RunAsync(["Second", "--cancellation-budget", "120"], "Second", Environment(), signals);
        await build.CleanupStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        signals.Receive("SIGINT", ExitCodes.Interrupted);
        await Task.Delay(200);
        var hurried = Stopwatch.StartNew();
        signals.Receive("SIGTERM", ExitCodes.Terminated);
        var exitCode = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(hurried.Elapsed < TimeSpan.FromSeconds(5), $"ended {hurried.Elapsed.TotalSeconds:0.0} s after the second signal");
        Assert.Equal(ExitCodes.Interrupted, exitCode);
        Assert.Equal(["second cut short", "first cleaned up"], build.Events);
        Assert.Equal(ExitCodes.Interrupted, signals.ExitCode);
    }

    [Fact]
    public async Task A_first_signal_during_a_cleanup_bounds_it_by_the_cancellation_budget()
    {
        var build = new SlowToStop();
        using var signals = new RunSignals();
        var running = build.RunAsync(["Second", "--cancellation-budget", "1"], "Second", Environment(), signals);
        await build.CleanupStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var signalled = Stopwatch.StartNew();
        signals.Receive("SIGINT", ExitCodes.Interrupted);
        var exitCode = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(signalled.Elapsed < TimeSpan.FromSeconds(5), $"ended {signalled.Elapsed.TotalSeconds:0.0} s after the signal");
        Assert.Equal(ExitCodes.Interrupted, exitCode);
        Assert.Equal(["second cut short", "first cleaned up"], build.Events);
    }

    private sealed class FailsOnceAbandoned : SlipwayBuild
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Abandoned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        Target Smoke => _ => _
            .Executes(async () =>
            {
                Started.SetResult();
                await Abandoned.Task;
                Failed.SetResult();
                throw new IOException("Could not find a part of the path '/gone/rootfs/tmp'.");
            })
            .Cleanup(async _ =>
            {
                // As an image smoke's rootfs delete under a target still running: the target fails because of the stop.
                Abandoned.SetResult();
                await Failed.Task.WaitAsync(TimeSpan.FromSeconds(5));
                await Task.Delay(100);
            });
    }

    [Fact]
    public async Task A_target_that_fails_after_it_was_abandoned_adds_no_error_to_the_output()
    {
        var build = new FailsOnceAbandoned();
        using var signals = new RunSignals();
        var output = new SynchronizedStringWriter();
        var running = build.RunAsync(["Smoke"], "Smoke", Environment(output), signals);
        await build.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        signals.Receive("SIGINT", ExitCodes.Interrupted);
        signals.Receive("SIGINT", ExitCodes.Interrupted);
        var exitCode = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.Interrupted, exitCode);
        Assert.True(build.Failed.Task.IsCompleted, "the target failed while its cleanup ran");
        Assert.Equal("cancelled", build.Report.Outcomes.Single(outcome => outcome.Name == "Smoke").StatusText);
        Assert.DoesNotContain("/gone/rootfs/tmp", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_signal_abandons_a_target_that_ignores_cancellation_at_once_and_cleanups_still_run()
    {
        var build = new SlowToStop();
        using var signals = new RunSignals();
        var output = new SynchronizedStringWriter();
        var running = build.RunAsync(["Stubborn"], "Stubborn", Environment(output), signals);
        while (!build.Events.Contains("stubborn started"))
            await Task.Delay(20);
        var signalled = Stopwatch.StartNew();
        signals.Receive("SIGINT", ExitCodes.Interrupted);
        signals.Receive("SIGINT", ExitCodes.Interrupted);
        var exitCode = await running.WaitAsync(TimeSpan.FromSeconds(30));

        // Without the second signal: the 2 s grace for the stubborn target, then the slow cleanup's 7 s budget.
        Assert.True(signalled.Elapsed < TimeSpan.FromSeconds(5), $"ended {signalled.Elapsed.TotalSeconds:0.0} s after the signals");
        Assert.Equal(ExitCodes.Interrupted, exitCode);
        Assert.Equal("cancelled", build.Report.Outcomes.Single(outcome => outcome.Name == "Stubborn").StatusText);
        Assert.Contains("second cut short", build.Events);
        Assert.Contains("first cleaned up", build.Events);
        Assert.Contains("SIGINT, a second stop request: cutting every wait short", output.ToString());
    }

    private EngineEnvironment Environment(TextWriter? output = null) =>
        new(output ?? new SynchronizedStringWriter(), new Dictionary<string, string>(), _workspace.Root, IsTerminal: false);
}
