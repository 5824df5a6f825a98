using System.Text.RegularExpressions;
using Slipway.Processes;
using Slipway.Release.Oci;
using Slipway.Release.Registry;
using Slipway.Release.Tests.Registry;
using Slipway.Release.Tests.Support;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Publishing;

/// <summary>
/// Signals to the real <c>./build.sh Publish</c> at the moments of the release that hold the most: while the SDK's MSBuild
/// builds the image, while qemu runs the arm64 image for its smoke, while helm pushes the chart. Whatever the moment and the
/// sequence, the build exits with the first signal's code after its cleanups, and leaves no process of its run, no listening
/// registry and nothing in the TMPDIR it was given; a signal before the chart is pushed leaves no tag a consumer would take as
/// a release, and a rerun completes the publish.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RegistryCollection.Name)]
public sealed partial class PublishSignalTests(RegistryBinaryFixture binary, PublishProcessFixture publish) : IClassFixture<PublishProcessFixture>, IDisposable
{
    /// <summary>A warm publish reaches ImageSmoke in well under a minute; a cold one (tool cache, NuGet) takes longer.</summary>
    private static readonly TimeSpan ToMoment = TimeSpan.FromMinutes(4);

    /// <summary>--cancellation-budget's default, plus room for the process to start its exit.</summary>
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(7 + 5);

    private static readonly TimeSpan GitHubKillsAfter = TimeSpan.FromSeconds(2.5);

    private readonly TempDirectory _temporary = ReachableByAnyone(new TempDirectory());

    public void Dispose() => _temporary.Dispose();

    public static TheoryData<string, string, int, double, bool> Sequences => new()
    {
        // The issue's reproduction: Ctrl+C, and again half a second later. The build has stopped by then (in about 0.3 s).
        { "Ctrl+C twice, 0.5 s apart", ImageSmoke, BuildProcess.SigInt, 0.5, false },
        // The second Ctrl+C while the build still stops the app and the registry: the cleanups are hurried, none skipped.
        { "Ctrl+C twice, 0.05 s apart", ImageSmoke, BuildProcess.SigInt, 0.05, true },
        // GitHub Actions on cancel: SIGINT, SIGTERM 7.5 s later unless the job has ended (then SIGKILL 2.5 s after it).
        { "GitHub's SIGINT, SIGTERM 7.5 s later", ImageBuild, BuildProcess.SigTerm, 7.5, false },
        // Killing MSBuild can take under 50 ms, so the SIGTERM follows as soon as the build has taken the SIGINT: the whole stop is hurried.
        { "SIGINT, SIGTERM as soon as it is taken", ImageBuild, BuildProcess.SigTerm, 0, true },
    };

    /// <summary>The SDK's MSBuild builds the image: its worker nodes run, with their temp files (MSBuildTemp*) in the run's TMPDIR.</summary>
    private const string ImageBuild = "ImageBuild";

    /// <summary>qemu runs the arm64 image, unpacked into the run's temp root, for its smoke.</summary>
    private const string ImageSmoke = "ImageSmoke";

    [Theory]
    [MemberData(nameof(Sequences))]
    public async Task A_second_signal_at_a_heavy_stage_leaves_no_process_no_registry_and_no_temp_folder(string sequence, string stage, int second, double secondAfterSeconds, bool secondLands)
    {
        using var build = publish.Start(_temporary.Path, "Publish");
        var registry = (await build.WaitForLineAsync(EmbeddedRegistryLine(), ToMoment)).Groups["address"].Value;
        var running = stage == ImageBuild ? await MSBuildNodesAsync(build) : await QemuAppAsync(build);
        var runId = PublishProcessFixture.RunId(_temporary.Path);
        running.AddRange(BuildProcess.ProcessesCarrying($"SLIPWAY_RUN_ID={runId}").Select(ProcessId));

        build.Signal(BuildProcess.SigInt);
        // Counted from when the build took it (its warning), so the second signal cannot overtake the first.
        await build.WaitForLineAsync(SigIntTaken(), StopLimit);
        await Task.Delay(TimeSpan.FromSeconds(secondAfterSeconds));
        var landed = !build.HasExited;
        Assert.True(landed || !secondLands, $"{sequence}: the build is still stopping when the second signal comes\n{build.Output}");
        if (landed)
            build.Signal(second);
        var afterSecond = System.Diagnostics.Stopwatch.StartNew();
        var exitCode = await build.WaitAsync(StopLimit);
        var toExit = afterSecond.Elapsed;

        Assert.True(exitCode == ExitCodes.Interrupted, $"{sequence}: exit code {exitCode}\n{build.Output}");
        Assert.Matches($@"{stage}\s+cancelled", build.Output);
        Assert.Equal(landed, build.Output.Contains("a second stop request", StringComparison.Ordinal));
        // After a second signal GitHub sends SIGKILL 2.5 s later: what is not done by then is never done.
        Assert.True(!landed || toExit < GitHubKillsAfter, $"{sequence}: exited {toExit.TotalSeconds:0.0} s after the second signal\n{build.Output}");
        AssertRegistryStopped(build, registry);
        AssertNothingLeft(build, runId, running);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SIGTERM_while_helm_pushes_the_chart_sets_no_image_tag_and_a_rerun_completes_the_publish(bool afterThePush)
    {
        // Before: nothing is visible. After: the chart is (helm pushed it), the image's version tags are not (ImageTag comes last).
        var hold = afterThePush ? publish.HoldAfterPush : publish.HoldPush;
        var log = new RecordingLog();
        var secrets = new SecretRegistry();
        await using var registry = await EmbeddedRegistry.StartAsync(binary.BinaryPath, new ProcessRunner(log, secrets), log, Directory.CreateTempSubdirectory);
        string[] arguments = ["Publish", "--registry", registry.Address, "--helm", publish.Helm];
        await File.WriteAllTextAsync(hold, string.Empty);
        string stopped;
        try
        {
            using var build = publish.Start(_temporary.Path, arguments);
            await WaitForFileAsync(build, publish.PushHeld);
            var runId = PublishProcessFixture.RunId(_temporary.Path);

            build.Signal(BuildProcess.SigTerm);
            var exitCode = await build.WaitAsync(StopLimit);

            Assert.True(exitCode == ExitCodes.Terminated, $"exit code {exitCode}\n{build.Output}");
            Assert.Matches(@"ChartPush\s+cancelled", build.Output);
            Assert.Matches(@"ImageTag\s+not run: cancelled before it started", build.Output);
            Assert.Matches(@"PublishRegistry \(cleanup\)\s+succeeded", build.Output);
            AssertNothingLeft(build, runId, []);
            stopped = build.Output;
        }
        finally
        {
            File.Delete(hold);
            File.Delete(publish.PushHeld);
        }

        var client = new OciRegistryClient(new HttpClient(), secrets, log);
        var chartTags = await client.ListTagsAsync(registry.Address, "charts/beacon");
        Assert.Contains(afterThePush ? $"The registry holds {registry.Address}/charts/beacon:" : $"The registry holds nothing under {registry.Address}/charts/beacon:", stopped, StringComparison.Ordinal);
        Assert.Contains("Not tagged yet: ", stopped, StringComparison.Ordinal);
        Assert.Equal(afterThePush ? 1 : 0, chartTags.Count);
        Assert.Empty(await client.ListReleaseTagsAsync(registry.Address, "beacon"));

        using var rerun = publish.Start(_temporary.Path, arguments);
        var rerunExitCode = await rerun.WaitAsync(ToMoment);

        Assert.True(rerunExitCode == 0, rerun.Output);
        var version = Assert.Single(await client.ListTagsAsync(registry.Address, "charts/beacon"));
        Assert.Equal(chartTags, afterThePush ? [version] : []);
        Assert.Equal([version, $"{version}-linux-arm64", $"{version}-linux-x64"], (await client.ListReleaseTagsAsync(registry.Address, "beacon")).Order(StringComparer.Ordinal));
        // The image the cancelled run built and never released is found under its inputs tag: the rerun does not build it again.
        Assert.Matches(@"ImageBuild\s+│ Reused ", rerun.Output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temporary.Path));
    }

    /// <summary>As a system TMPDIR is: the image smoke runs the app as the image's user, which must reach its root in the run's temp root.</summary>
    private static TempDirectory ReachableByAnyone(TempDirectory directory)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory.Path, (UnixFileMode)Convert.ToInt32("755", 8));
        return directory;
    }

    private void AssertRegistryStopped(BuildProcess build, string registry)
    {
        Assert.Matches(@"PublishRegistry \(cleanup\)\s+succeeded", build.Output);
        Assert.Contains("stopped and its storage removed", build.Output, StringComparison.Ordinal);
        Assert.False(Listening.Accepts(registry), $"nothing listens on {registry} any more\n{build.Output}");
    }

    /// <summary>No process carries the run's marker, none of <paramref name="pids"/> runs (whatever its parent now), and the TMPDIR the build was given is empty.</summary>
    private void AssertNothingLeft(BuildProcess build, string runId, IEnumerable<int> pids)
    {
        var carriers = BuildProcess.ProcessesCarrying($"SLIPWAY_RUN_ID={runId}");
        Assert.True(carriers.Count == 0, $"left running:\n{string.Join('\n', carriers)}\n{build.Output}");
        foreach (var pid in pids)
            Assert.False(BuildProcess.IsRunning(pid), $"pid {pid} still runs\n{build.Output}");
        var left = Directory.EnumerateFileSystemEntries(_temporary.Path).ToList();
        Assert.True(left.Count == 0, $"left in the build's TMPDIR: {string.Join(", ", left)}\n{build.Output}");
    }

    /// <summary>Waits until the SDK runs and MSBuild has started worker nodes for the run, and returns their pids.</summary>
    private async Task<List<int>> MSBuildNodesAsync(BuildProcess build)
    {
        await build.WaitForLineAsync(SdkRunsLine(), ToMoment);
        var runId = PublishProcessFixture.RunId(_temporary.Path);
        var deadline = DateTime.UtcNow + ToMoment;
        while (true)
        {
            var nodes = BuildProcess.ProcessesCarrying($"SLIPWAY_RUN_ID={runId}")
                .Select(ProcessId)
                .Where(pid => CommandLine(pid).Contains("nodemode:", StringComparison.OrdinalIgnoreCase))
                .ToList();
            if (nodes.Count > 0)
                return nodes;
            Assert.True(DateTime.UtcNow < deadline && !build.HasExited, $"no MSBuild node of the run seen\n{build.Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until qemu runs the arm64 image and returns its pid.</summary>
    private static async Task<List<int>> QemuAppAsync(BuildProcess build)
    {
        var app = int.Parse((await build.WaitForLineAsync(QemuImageLine(), ToMoment)).Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(BuildProcess.IsRunning(app), $"the arm64 app (pid {app}) runs when the signals come\n{build.Output}");
        return [app];
    }

    private static int ProcessId(string stat) => int.Parse(stat[..stat.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static async Task WaitForFileAsync(BuildProcess build, string path)
    {
        var deadline = DateTime.UtcNow + ToMoment;
        while (!File.Exists(path))
        {
            Assert.True(DateTime.UtcNow < deadline && !build.HasExited, $"{path} did not appear\n{build.Output}");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex("SIGINT: cancelling running targets")]
    private static partial Regex SigIntTaken();

    [GeneratedRegex(@"dotnet publish -t:PublishContainer for")]
    private static partial Regex SdkRunsLine();

    [GeneratedRegex(@"Embedded registry listening on (?<address>127\.0\.0\.1:\d+)")]
    private static partial Regex EmbeddedRegistryLine();

    [GeneratedRegex(@"Started linux/arm64 image under qemu.*\(pid (?<pid>\d+)\)")]
    private static partial Regex QemuImageLine();
}
