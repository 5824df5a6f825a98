using Slipway.Processes;
using Slipway.Tool.Setup;

namespace Slipway.Tool.Tests.Setup;

/// <summary>setup end to end with the tools it runs (git, dotnet, the new build) played by a fake; the adoption test runs them for real.</summary>
public sealed class SetupRunTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly RecordingLog _log = new();
    private int _buildExitCode;

    public SetupRunTests()
    {
        Directory.CreateDirectory(_root.Combine("src", "Orders"));
        File.WriteAllText(_root.Combine("src", "Orders", "Orders.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk.Web\" />");
        Directory.CreateDirectory(_root.Combine("charts", "orders"));
        File.WriteAllText(_root.Combine("charts", "orders", "Chart.yaml"), "name: orders\n");
    }

    public void Dispose() => _root.Dispose();

    private FakeProcessRunner Runner() => new(command => command.FileName switch
    {
        "git" => FakeProcessRunner.Exit(0, _root.Path),
        "dotnet" => FakeProcessRunner.Exit(0, "10.0.401"),
        _ => FakeProcessRunner.Exit(_buildExitCode),
    });

    private Task<int> RunAsync(FakeProcessRunner runner) => new SetupRun(runner, _log).RunAsync(_root.Path, new SetupOptions(), "2.0.0");

    [Fact]
    public async Task Setup_writes_its_files_then_runs_the_new_build_for_the_schema_and_the_workflows()
    {
        var runner = Runner();

        Assert.Equal(0, await RunAsync(runner));

        var build = runner.Commands[^1];
        Assert.Equal(("bash", _root.Path), (build.FileName, build.WorkingDirectory));
        Assert.Equal(["build.sh", "UpdateBuildSchema", "GenerateWorkflows"], build.Arguments);
        foreach (var file in new[] { "build.sh", "build.cmd", "global.json", "build/_build.csproj", "build/Build.cs", ".nuke/parameters.json", ".gitignore" })
            Assert.True(File.Exists(_root.Combine(file.Split('/'))), file);
        Assert.Contains("info: Repository " + _root.Path + ": service src/Orders/Orders.csproj, chart charts/orders (the only one under charts/), .NET SDK 10.0.401 (net10.0), Slipway.Release 2.0.0.", _log.Lines);
        Assert.Contains(_log.Lines, line => line.StartsWith("info: Done: 7 written. Next: ./build.sh Ci", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_run_changes_nothing_and_says_so()
    {
        await RunAsync(Runner());
        var written = Directory.EnumerateFiles(_root.Path, "*", SearchOption.AllDirectories).ToDictionary(path => path, File.ReadAllText);

        Assert.Equal(0, await RunAsync(Runner()));

        Assert.Equal(written, Directory.EnumerateFiles(_root.Path, "*", SearchOption.AllDirectories).ToDictionary(path => path, File.ReadAllText));
        Assert.Contains(_log.Lines, line => line.StartsWith("info: Done: 7 unchanged.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_edited_Build_cs_is_kept_with_a_warning_and_the_build_still_regenerates_from_it()
    {
        await RunAsync(Runner());
        File.AppendAllText(_root.Combine("build", "Build.cs"), "// ours\n");
        var runner = Runner();

        Assert.Equal(0, await RunAsync(runner));

        Assert.EndsWith("// ours\n", File.ReadAllText(_root.Combine("build", "Build.cs")), StringComparison.Ordinal);
        Assert.Contains("warning: kept      build/Build.cs: differs from what setup writes (edited since, or not written by setup); --force replaces it", _log.Lines);
        Assert.Equal("bash", runner.Commands[^1].FileName);
    }

    [Fact]
    public async Task A_build_that_fails_its_first_run_fails_setup_with_its_exit_code_and_the_next_step()
    {
        _buildExitCode = 2;

        Assert.Equal(2, await RunAsync(Runner()));

        Assert.Contains("error: The new build failed (exit 2) running UpdateBuildSchema and GenerateWorkflows: see its output above. Fix the cause, then run slipway setup again (it changes nothing that is already right).", _log.Lines);
    }

    [Fact]
    public async Task Nothing_is_written_when_a_fact_cannot_be_found()
    {
        File.Delete(_root.Combine("charts", "orders", "Chart.yaml"));

        await Assert.ThrowsAsync<SetupException>(() => RunAsync(Runner()));

        Assert.False(File.Exists(_root.Combine("build.sh")));
    }
}
