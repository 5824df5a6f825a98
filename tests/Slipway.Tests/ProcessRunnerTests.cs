using System.Diagnostics;
using Slipway.Processes;
using Slipway.Secrets;
using Slipway.Tests.Support;

namespace Slipway.Tests;

public sealed class ProcessRunnerTests : IDisposable
{
    private readonly RecordingLog _log = new();
    private readonly SecretRegistry _secrets = new();
    private readonly string _scratch = Directory.CreateTempSubdirectory("slipway-runner-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private ProcessRunner Runner => new(_log, _secrets);

    [Fact]
    public async Task Output_is_streamed_to_the_log_and_captured_for_parsing()
    {
        var result = await Runner.RunAsync(new ToolCommand("sh", "-c", "echo out; echo err >&2"));

        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
        Assert.Contains("out", _log.Lines);
        Assert.Contains("err", _log.Lines);
    }

    [Fact]
    public async Task The_environment_is_merged_over_the_inherited_one_not_replaced()
    {
        var result = await Runner.RunAsync(new ToolCommand("sh", "-c", "echo \"$SLIPWAY_TEST_VALUE|$PATH\"").WithEnvironment("SLIPWAY_TEST_VALUE", "merged"));

        var (value, path) = (result.StandardOutput.Split('|')[0], result.StandardOutput.Split('|')[1].Trim());
        Assert.Equal("merged", value);
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), path);
    }

    [Fact]
    public async Task The_runs_variables_reach_every_child_unless_its_command_sets_them()
    {
        var runner = new ProcessRunner(_log, _secrets, new Dictionary<string, string> { ["TMPDIR"] = _scratch, ["SLIPWAY_RUN_ID"] = "run-1" });

        var inherited = await runner.RunAsync(new ToolCommand("sh", "-c", "echo \"$TMPDIR|$SLIPWAY_RUN_ID\""));
        var own = await runner.RunAsync(new ToolCommand("sh", "-c", "echo \"$TMPDIR\"").WithEnvironment("TMPDIR", "/elsewhere"));

        Assert.Equal($"{_scratch}|run-1\n", inherited.StandardOutput);
        Assert.Equal("/elsewhere\n", own.StandardOutput);
    }

    [Fact]
    public async Task A_non_zero_exit_throws_with_the_end_of_the_error_output_redacted()
    {
        _secrets.Register("s3cr3t-value");
        var failure = await Assert.ThrowsAsync<ToolFailedException>(() =>
            Runner.RunAsync(new ToolCommand("sh", "-c", "echo 'denied for s3cr3t-value' >&2; exit 3")));

        Assert.Contains("'sh' exited with code 3", failure.Message);
        Assert.Contains("denied for ***", failure.Message);
        Assert.DoesNotContain("s3cr3t-value", failure.Message);
        Assert.Equal(3, failure.Result!.ExitCode);
    }

    [Fact]
    public async Task A_non_zero_exit_is_returned_when_asked()
    {
        var result = await Runner.RunAsync(new ToolCommand("sh", "-c", "exit 4") { ThrowOnFailure = false });

        Assert.Equal(4, result.ExitCode);
    }

    [Fact]
    public async Task A_missing_tool_gets_a_clear_message()
    {
        var failure = await Assert.ThrowsAsync<ToolFailedException>(() => Runner.RunAsync(new ToolCommand("no-such-tool-slipway")));

        Assert.Contains("Could not start 'no-such-tool-slipway'", failure.Message);
    }

    [Fact]
    public async Task A_timeout_kills_the_whole_process_tree()
    {
        var pidFile = Path.Combine(_scratch, "grandchild.pid");
        var failure = await Assert.ThrowsAsync<ToolFailedException>(() => Runner.RunAsync(
            new ToolCommand("sh", "-c", $"sleep 300 & echo $! > {pidFile}; wait") { Timeout = TimeSpan.FromSeconds(1) }));

        Assert.Contains("timed out after 1 s", failure.Message);
        AssertGone(int.Parse(await File.ReadAllTextAsync(pidFile)));
    }

    [Fact]
    public async Task Cancellation_kills_the_whole_process_tree()
    {
        var pidFile = Path.Combine(_scratch, "grandchild.pid");
        using var cancellation = new CancellationTokenSource();
        var running = Runner.RunAsync(new ToolCommand("sh", "-c", $"sleep 300 & echo $! > {pidFile}; wait"), cancellation.Token);
        await WaitForFileAsync(pidFile);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        AssertGone(int.Parse(await File.ReadAllTextAsync(pidFile)));
    }

    [Fact]
    public async Task The_logged_command_line_is_redacted()
    {
        _secrets.Register("pa55word");
        await Runner.RunAsync(new ToolCommand("echo", "--password", "pa55word"));

        Assert.DoesNotContain(_log.Lines, line => line.Contains("pa55word"));
        Assert.Contains(_log.Lines, line => line.Contains("--password ***"));
    }

    internal static async Task WaitForFileAsync(string path)
    {
        for (var i = 0; i < 200 && (!File.Exists(path) || new FileInfo(path).Length == 0); i++)
            await Task.Delay(50);
    }

    internal static void AssertGone(int processId)
    {
        // A killed child may linger as a zombie until reaped; it is gone when /proc has no live entry for it.
        for (var i = 0; i < 100; i++)
        {
            if (!IsAlive(processId))
                return;
            Thread.Sleep(50);
        }

        Assert.Fail($"process {processId} is still running");
    }

    private static bool IsAlive(int processId)
    {
        var status = $"/proc/{processId}/status";
        if (!File.Exists(status))
            return false;
        try
        {
            return !File.ReadAllText(status).Contains("State:\tZ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
