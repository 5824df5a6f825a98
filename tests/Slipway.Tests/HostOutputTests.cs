using Slipway.Processes;
using Slipway.Tests.Support;

namespace Slipway.Tests;

/// <summary>Output a person can read: every line of a target says which target it is from, and the summary stays narrow.</summary>
public sealed class HostOutputTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private sealed class Talkative : SlipwayBuild
    {
        Target Chatty => _ => _.Executes(async ct =>
        {
            Log.Info("first line\nsecond line");
            Host.SetOutput("version", "1.2.3");
            await Processes.RunAsync(new ToolCommand("sh", "-c", "echo from the tool; echo on stderr >&2"), ct);
        });

        Target Wordy => _ => _.Executes(() => throw new InvalidOperationException(
            $"the registry refused the push of a very long reference {new string('x', 150)}\nsecond line of the failure"));
    }

    [Fact]
    public async Task Every_line_a_target_prints_in_a_terminal_is_prefixed_with_its_name()
    {
        var run = await BuildRun.RunAsync<Talkative>(_workspace, ["Chatty"]);

        var chatty = run.Lines.Where(line => line.Contains("line", StringComparison.Ordinal) || line.Contains("output version", StringComparison.Ordinal) || line.Contains("tool", StringComparison.Ordinal) || line.Contains("stderr", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, chatty.Count);
        Assert.All(chatty, line => Assert.StartsWith("Chatty", line));
        Assert.Contains(run.Lines, line => line.EndsWith("│ output version=1.2.3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_long_failure_keeps_its_summary_row_narrow_and_its_whole_message_above()
    {
        var run = await BuildRun.RunAsync<Talkative>(_workspace, ["Wordy"]);

        var row = run.Lines.Single(line => line.StartsWith("Wordy ", StringComparison.Ordinal) && line.Contains("failed:", StringComparison.Ordinal));
        Assert.True(row.Length <= 80, $"{row.Length} columns: {row}");
        Assert.EndsWith("…", row.TrimEnd()[..^"0.0 s".Length].TrimEnd());
        Assert.Contains(new string('x', 150), run.Output);
        Assert.Contains("second line of the failure", run.Output);
    }
}
