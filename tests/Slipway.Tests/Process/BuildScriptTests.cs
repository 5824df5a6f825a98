namespace Slipway.Tests.Process;

[Trait("Category", "Integration")]
public sealed partial class BuildScriptTests(BuildScriptFixture fixture) : IClassFixture<BuildScriptFixture>, IDisposable
{
    private const int SigInt = BuildProcess.SigInt;
    private const int SigTerm = BuildProcess.SigTerm;

    private readonly string _markers = Directory.CreateTempSubdirectory("slipway-markers-").FullName;

    public void Dispose() => Directory.Delete(_markers, recursive: true);

    [Theory]
    [InlineData(SigTerm, ExitCodes.Terminated)]
    [InlineData(SigInt, ExitCodes.Interrupted)]
    public async Task A_signal_cancels_kills_the_child_tree_runs_cleanups_and_sets_the_exit_code(int signal, int expectedExitCode)
    {
        using var build = fixture.Start("Long", "--markers", _markers);
        var childPidFile = Path.Combine(_markers, "child.pid");
        await ProcessRunnerTests.WaitForFileAsync(childPidFile);
        Assert.True(File.Exists(childPidFile), "the long target started its child");

        // build.sh execs the build, so the script's pid is the build's pid: the signal reaches the build itself.
        build.Signal(signal);
        var exitCode = await build.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(expectedExitCode, exitCode);
        Assert.Equal("done", await File.ReadAllTextAsync(Path.Combine(_markers, "cleanup")));
        ProcessRunnerTests.AssertGone(int.Parse(await File.ReadAllTextAsync(childPidFile)));
        var text = build.Output;
        Assert.Contains("Setup (cleanup)", text);
        Assert.Contains("Build cancelled", text);
    }

    [Fact]
    public async Task A_secret_a_child_prints_is_masked_in_the_output_and_the_log_file()
    {
        var (exitCode, output) = await fixture.RunAsync(["Echo", "--token", "tok-7f3a9c"]);

        Assert.Equal(0, exitCode);
        Assert.Contains("the token is ***", output);
        Assert.DoesNotContain("tok-7f3a9c", output);
        var log = await File.ReadAllTextAsync(Path.Combine(fixture.Root, ".nuke", "temp", "build.log"));
        Assert.Contains("the token is ***", log);
        Assert.DoesNotContain("tok-7f3a9c", log);
    }

    [Theory]
    [InlineData(new[] { "Fine" }, ExitCodes.Succeeded)]
    [InlineData(new[] { "Fail" }, ExitCodes.Failed)]
    [InlineData(new[] { "Fien" }, ExitCodes.Usage)]
    [InlineData(new[] { "Fine", "--tokn", "x" }, ExitCodes.Usage)]
    public async Task Exit_codes_tell_success_failure_and_bad_invocation_apart(string[] args, int expected)
    {
        var (exitCode, output) = await fixture.RunAsync(args);

        Assert.True(expected == exitCode, output);
    }

    [Fact]
    public async Task The_build_project_is_compiled_only_when_its_inputs_changed()
    {
        var stamp = Path.Combine(fixture.Root, ".nuke", "temp", "bin", ".built");
        var before = File.GetLastWriteTimeUtc(stamp);

        var (_, unchanged) = await fixture.RunAsync(["Fine"]);
        Assert.DoesNotContain("Compiling the build project", unchanged);
        Assert.Equal(before, File.GetLastWriteTimeUtc(stamp));

        var source = Path.Combine(fixture.Root, "build", "Build.cs");
        File.SetLastWriteTimeUtc(source, DateTime.UtcNow.AddSeconds(1));
        var (exitCode, changed) = await fixture.RunAsync(["Fine"]);
        Assert.Equal(0, exitCode);
        Assert.Contains("Compiling the build project", changed);
        Assert.DoesNotContain("Time Elapsed", changed);
        Assert.DoesNotContain("Warning(s)", changed);
        Assert.NotEqual(before, File.GetLastWriteTimeUtc(stamp));
    }

    [Fact]
    public async Task A_build_project_that_does_not_compile_shows_the_compiler_error_and_exits_2()
    {
        var source = Path.Combine(fixture.Root, "build", "Build.cs");
        var original = await File.ReadAllTextAsync(source);
        try
        {
            await File.WriteAllTextAsync(source, original.Replace("Target Fine =>", "Target Fine = >", StringComparison.Ordinal));
            var (exitCode, output) = await fixture.RunAsync(["Fine"]);

            Assert.Equal(ExitCodes.Usage, exitCode);
            Assert.Matches(@"Build\.cs\(\d+,\d+\): error CS\d+", output);
            Assert.Contains("the build project does not compile", output);
        }
        finally
        {
            await File.WriteAllTextAsync(source, original);
            File.SetLastWriteTimeUtc(source, DateTime.UtcNow.AddSeconds(2));
            Assert.Equal(0, (await fixture.RunAsync(["Fine"])).ExitCode);
        }
    }
}
