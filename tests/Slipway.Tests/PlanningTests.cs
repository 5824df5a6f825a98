using Slipway.Tests.Support;

namespace Slipway.Tests;

public sealed class PlanningTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private sealed class Pipeline : SlipwayBuild
    {
        public List<string> Ran { get; } = [];

        Target Restore => _ => _.Executes(() => Record(nameof(Restore)));

        Target Compile => _ => _.DependsOn(Restore).Executes(() => Record(nameof(Compile)));

        Target Lint => _ => _.Executes(() => Record(nameof(Lint)));

        Target Test => _ => _.DependsOn(Compile).After(Lint).Triggers(Announce).Executes(() => Record(nameof(Test)));

        Target Announce => _ => _.Executes(() => Record(nameof(Announce)));

        Target Package => _ => _.DependsOn(Compile).Before(Test).Executes(() => Record(nameof(Package)));

        Target Default => _ => _.DependsOn(Test);

        private void Record(string name)
        {
            lock (Ran)
                Ran.Add(name);
        }
    }

    private sealed class Cyclic : SlipwayBuild
    {
        Target A => _ => _.DependsOn(B);

        Target B => _ => _.DependsOn(C);

        Target C => _ => _.After(A);

        Target Default => _ => _.DependsOn(A);
    }

    [Fact]
    public async Task Plan_puts_targets_in_deterministic_stages_and_runs_nothing()
    {
        var build = new Pipeline();
        var first = await BuildRun.RunAsync(_workspace, ["--plan", "Default"], build: build);
        var second = await BuildRun.RunAsync<Pipeline>(_workspace, ["--plan", "Default"]);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Output, second.Output);
        Assert.Empty(build.Ran);
        var stages = first.Output.Split("stage ").Skip(1).Select(stage => stage.Split('\n').Skip(1).Where(line => line.Trim().Length > 0).Select(line => line.Trim().Split(' ')[0]).ToList()).ToList();
        Assert.Equal(["Restore"], stages[0]);
        Assert.Equal(["Compile"], stages[1]);
        Assert.Contains("Test", stages[2].Concat(stages.Count > 3 ? stages[3] : []));
        Assert.DoesNotContain("Lint", first.Output);
    }

    [Fact]
    public async Task Dependencies_run_first_and_triggers_and_ordering_are_respected()
    {
        var build = new Pipeline();
        var run = await BuildRun.RunAsync(_workspace, ["Test", "Lint", "Package", "--max-parallel", "1"], build: build);

        Assert.Equal(0, run.ExitCode);
        Assert.True(build.Ran.IndexOf("Restore") < build.Ran.IndexOf("Compile"));
        Assert.True(build.Ran.IndexOf("Compile") < build.Ran.IndexOf("Test"));
        Assert.True(build.Ran.IndexOf("Lint") < build.Ran.IndexOf("Test"), "After(Lint) orders Test after Lint when both are planned");
        Assert.True(build.Ran.IndexOf("Package") < build.Ran.IndexOf("Test"), "Before(Test) orders Package first");
        Assert.True(build.Ran.IndexOf("Test") < build.Ran.IndexOf("Announce"), "a triggered target runs after its trigger");
    }

    [Fact]
    public async Task Ordering_alone_does_not_pull_a_target_into_the_plan()
    {
        var build = new Pipeline();
        await BuildRun.RunAsync(_workspace, ["Test"], build: build);

        Assert.DoesNotContain("Lint", build.Ran);
        Assert.DoesNotContain("Package", build.Ran);
        Assert.Contains("Announce", build.Ran);
    }

    [Fact]
    public async Task A_cycle_is_reported_with_its_path_and_exit_code_2()
    {
        var run = await BuildRun.RunAsync<Cyclic>(_workspace, []);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("cycle", run.Output);
        Assert.Matches("A -> B -> C -> A|B -> C -> A -> B|C -> A -> B -> C", run.Output);
    }

    [Fact]
    public async Task An_unknown_target_exits_2_and_suggests_the_closest()
    {
        var run = await BuildRun.RunAsync<Pipeline>(_workspace, ["Compil"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Unknown target 'Compil'. Did you mean 'Compile'?", run.Output);
    }

    [Fact]
    public async Task Skip_with_names_skips_them_and_without_names_skips_all_dependencies()
    {
        var named = new Pipeline();
        var run = await BuildRun.RunAsync(_workspace, ["Compile", "--skip", "Restore"], build: named);
        Assert.Equal(["Compile"], named.Ran);
        Assert.Equal("skipped: --skip", run.Outcome("Restore").StatusText);

        var all = new Pipeline();
        await BuildRun.RunAsync(_workspace, ["Test", "--skip"], build: all);
        Assert.Equal(["Test"], all.Ran);
    }
}
