using System.Diagnostics;

namespace Slipway.Tests.Process;

/// <summary>
/// Signals to the real <c>./build.sh</c> while a target's child has double-forked a grandchild that left its session, ignores
/// SIGTERM and works in the run's temp root: whatever the sequence, the cleanup runs, the build exits in time with the first
/// signal's code, and no process and no temp folder of the run is left.
/// </summary>
public sealed partial class BuildScriptTests
{
    public static TheoryData<string, int[], double, int, string> StopSequences => new()
    {
        { "one SIGTERM", [SigTerm], 0, ExitCodes.Terminated, "done" },
        // GitHub Actions on cancel: SIGINT, SIGTERM 7.5 s later, SIGKILL 2.5 s after that. The budget is raised so that
        // the SIGTERM lands while the cleanup still runs; the build must then be gone before the SIGKILL would come.
        { "GitHub Actions: SIGINT, then SIGTERM 7.5 s later", [SigInt, SigTerm], 7.5, ExitCodes.Interrupted, "cut short" },
        { "Ctrl+C twice", [SigInt, SigInt], 0.5, ExitCodes.Interrupted, "cut short" },
    };

    [Theory]
    [MemberData(nameof(StopSequences))]
    public async Task A_stop_sequence_runs_the_cleanup_exits_in_time_and_leaves_no_process_and_no_temp_folder(
        string sequence, int[] signals, double secondAfterSeconds, int expectedExitCode, string cleanup)
    {
        string[] slowCleanup = signals.Length > 1 ? ["--cleanup-milliseconds", "60000", "--cancellation-budget", "30"] : [];
        using var build = fixture.Start(["Held", "--markers", _markers, .. slowCleanup]);
        var grandchildPidFile = Path.Combine(_markers, "grandchild.pid");
        await ProcessRunnerTests.WaitForFileAsync(grandchildPidFile);
        Assert.True(File.Exists(grandchildPidFile), $"{sequence}: the grandchild started");

        build.Signal(signals[0]);
        if (signals.Length > 1)
        {
            await Task.Delay(TimeSpan.FromSeconds(secondAfterSeconds));
            Assert.False(build.HasExited, $"{sequence}: the build is still in its cleanup when the second signal comes");
            build.Signal(signals[1]);
        }

        var lastSignal = Stopwatch.StartNew();
        var exitCode = await build.WaitAsync(TimeSpan.FromSeconds(20));
        var toExit = lastSignal.Elapsed;
        var text = build.Output;

        Assert.True(expectedExitCode == exitCode, $"{sequence}: exit code {exitCode}\n{text}");
        var deadline = signals.Length > 1 ? TimeSpan.FromSeconds(2.5) : TimeSpan.FromSeconds(7);
        Assert.True(toExit < deadline, $"{sequence}: exited {toExit.TotalSeconds:0.0} s after the last signal, allowed {deadline.TotalSeconds} s\n{text}");
        Assert.Equal(cleanup, await File.ReadAllTextAsync(Path.Combine(_markers, "cleanup")));
        ProcessRunnerTests.AssertGone(int.Parse(await File.ReadAllTextAsync(Path.Combine(_markers, "child.pid"))));
        ProcessRunnerTests.AssertGone(int.Parse(await File.ReadAllTextAsync(grandchildPidFile)));
        var runId = (await File.ReadAllTextAsync(Path.Combine(_markers, "run-id"))).Trim();
        Assert.Empty(BuildProcess.ProcessesCarrying($"SLIPWAY_RUN_ID={runId}"));
        var temporaryDirectory = (await File.ReadAllTextAsync(Path.Combine(_markers, "tmpdir"))).Trim();
        Assert.Equal(Path.TrimEndingDirectorySeparator(Path.GetTempPath()), Path.GetDirectoryName(temporaryDirectory));
        Assert.False(Directory.Exists(temporaryDirectory), $"{sequence}: the run's temp folder {temporaryDirectory} is gone");
        Assert.Contains("this run left running", text);
    }
}
