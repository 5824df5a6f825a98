using Slipway.Processes;
using Slipway.Tests.Support;

namespace Slipway.Tests;

/// <summary>A run's temp root and its processes in-process (as tests run builds): gone when the run ends, and never another run's.</summary>
public sealed class RunScopeTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();
    private readonly string _markers = Directory.CreateTempSubdirectory("slipway-markers-").FullName;

    public void Dispose()
    {
        _workspace.Dispose();
        Directory.Delete(_markers, recursive: true);
    }

    private sealed class Orphaning : SlipwayBuild
    {
        [Parameter("Where the test reads markers")]
        public readonly string Markers = ".";

        public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string? SeenTemporaryDirectory { get; private set; }

        public string? ComponentFolder { get; private set; }

        public UnixFileMode RootMode { get; private set; }

        public UnixFileMode ComponentMode { get; private set; }

        // The grandchild is orphaned at once (to init: a test host is no child subreaper), so only the run's marker finds it.
        Target Orphan => _ => _.Executes(async ct =>
        {
            SeenTemporaryDirectory = TemporaryDirectory;
            ComponentFolder = ((ISlipwayBuild)this).CreateTemporaryDirectory("component-").FullName;
            if (!OperatingSystem.IsWindows())
                (RootMode, ComponentMode) = (File.GetUnixFileMode(TemporaryDirectory), File.GetUnixFileMode(ComponentFolder));
            await Processes.RunAsync(
                new ToolCommand("sh", "-c", """echo "$TMPDIR" > "$MARKERS/tmpdir"; ( sleep 300 >/dev/null 2>&1 & echo $! > "$MARKERS/orphan.pid" )""").WithEnvironment("MARKERS", Markers),
                ct);
        });

        Target Hold => _ => _.Executes(async ct =>
        {
            await Processes.RunAsync(new ToolCommand("sh", "-c", """( sleep 300 >/dev/null 2>&1 & echo $! > "$MARKERS/held.pid" )""").WithEnvironment("MARKERS", Markers), ct);
            Holding.SetResult();
            await Release.Task.WaitAsync(ct);
        });
    }

    [Fact]
    public async Task The_children_get_the_runs_temp_root_and_it_and_the_orphans_they_leave_are_gone_after_the_run()
    {
        var build = new Orphaning();
        var run = await BuildRun.RunAsync(_workspace, ["Orphan", "--markers", _markers], build: build);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(build.SeenTemporaryDirectory, (await File.ReadAllTextAsync(Path.Combine(_markers, "tmpdir"))).Trim());
        Assert.Equal(Path.TrimEndingDirectorySeparator(Path.GetTempPath()), Path.GetDirectoryName(build.SeenTemporaryDirectory));
        Assert.StartsWith(build.SeenTemporaryDirectory + "/component-", build.ComponentFolder);
        Assert.False(Directory.Exists(build.SeenTemporaryDirectory), "the run's temp root is removed");
        ProcessRunnerTests.AssertGone(int.Parse(await File.ReadAllTextAsync(Path.Combine(_markers, "orphan.pid"))));
        Assert.Contains("Stopped 1 process(es) this run left running", run.Output);
    }

    [Fact]
    public async Task Only_the_user_lists_the_temp_root_others_may_pass_through_it_and_a_components_folder_is_private()
    {
        var build = new Orphaning();

        Assert.Equal(0, (await BuildRun.RunAsync(_workspace, ["Orphan", "--markers", _markers], build: build)).ExitCode);

        // An image's non-root user under qemu must reach the root folder unpacked for it; nobody else may list or write.
        const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(Owner | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute, build.RootMode);
        Assert.Equal(Owner, build.ComponentMode);
    }

    [Fact]
    public async Task A_run_that_ends_leaves_the_processes_of_another_run_in_the_same_process_alone()
    {
        var holder = new Orphaning();
        var holding = BuildRun.RunAsync(_workspace, ["Hold", "--markers", _markers], build: holder);
        await holder.Holding.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var held = int.Parse(await File.ReadAllTextAsync(Path.Combine(_markers, "held.pid")));

        using var other = new TestWorkspace();
        var otherMarkers = Directory.CreateTempSubdirectory("slipway-markers-").FullName;
        try
        {
            var finished = await BuildRun.RunAsync<Orphaning>(other, ["Orphan", "--markers", otherMarkers]);
            Assert.Equal(0, finished.ExitCode);
            Assert.True(File.Exists($"/proc/{held}/stat"), "the holding run's orphan survives the other run's sweep");
        }
        finally
        {
            Directory.Delete(otherMarkers, recursive: true);
        }

        holder.Release.SetResult();
        Assert.Equal(0, (await holding).ExitCode);
        ProcessRunnerTests.AssertGone(held);
    }
}
