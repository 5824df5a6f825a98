using Slipway.Processes;
using Slipway.Tests.Support;

namespace Slipway.Tests;

public sealed class GitHubActionsHostTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private sealed class Actions : SlipwayBuild
    {
        [Parameter("A token"), Secret]
        public readonly string? Token;

        Target Noisy => _ => _.Executes(async ct =>
        {
            await Processes.RunAsync(new ToolCommand("sh", "-c", "echo '::error::injected by a tool'; echo plain tool line"), ct);
            Log.Warning("100% sure: line one\nline two");
            Host.SetOutput("version", "1.2.3");
            Host.SetOutput("notes", "first\nsecond");
        });

        Target Broken => _ => _.DependsOn(Noisy).Executes(() => throw new InvalidOperationException("bad, really: bad"));
    }

    private Dictionary<string, string> ActionsEnvironment() => new()
    {
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_STEP_SUMMARY"] = Path.Combine(_workspace.Root, "summary.md"),
        ["GITHUB_OUTPUT"] = Path.Combine(_workspace.Root, "output.txt"),
    };

    [Fact]
    public async Task Each_target_is_one_group_and_tool_output_cannot_issue_workflow_commands()
    {
        var run = await BuildRun.RunAsync<Actions>(_workspace, ["Noisy"], ActionsEnvironment());

        var lines = run.Lines;
        var groupStart = lines.ToList().FindIndex(line => line.StartsWith("::group::Noisy", StringComparison.Ordinal));
        var groupEnd = lines.ToList().FindIndex(groupStart, line => line == "::endgroup::");
        Assert.True(groupStart >= 0 && groupEnd > groupStart, run.Output);
        var group = lines.Skip(groupStart).Take(groupEnd - groupStart).ToList();

        var injected = group.IndexOf("Noisy │ ::error::injected by a tool");
        var fence = group.FindLastIndex(injected, line => line.StartsWith("::stop-commands::", StringComparison.Ordinal));
        Assert.True(fence >= 0 && fence < injected, "tool output is inside a ::stop-commands:: fence");
        var token = group[fence]["::stop-commands::".Length..];
        Assert.Contains($"::{token}::", group.Skip(injected));
        Assert.Contains("::warning title=Noisy::100%25 sure: line one", group);
        Assert.Contains("Noisy │ plain tool line", group);
        Assert.Contains("Noisy │ output version=1.2.3", group);
    }

    [Fact]
    public async Task Errors_become_escaped_annotations_and_the_summary_and_outputs_are_written()
    {
        var environment = ActionsEnvironment();
        var run = await BuildRun.RunAsync<Actions>(_workspace, ["Broken"], environment);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("::error title=Broken::bad, really: bad", run.Lines);
        var summary = await File.ReadAllTextAsync(environment["GITHUB_STEP_SUMMARY"]);
        Assert.Contains("| Broken | failed: bad, really: bad |", summary);
        Assert.Contains("```mermaid", summary);
        Assert.Contains("gantt", summary);
        Assert.Matches(@"Noisy : done, t0, \d+, \d+", summary);
        var outputs = await File.ReadAllTextAsync(environment["GITHUB_OUTPUT"]);
        Assert.Contains("version=1.2.3\n", outputs);
        Assert.Matches(@"notes<<(slipway-\w+)\nfirst\nsecond\n\1\n", outputs);
    }

    [Fact]
    public async Task Secrets_are_registered_with_add_mask_and_still_redacted()
    {
        var run = await BuildRun.RunAsync<Actions>(_workspace, ["Noisy", "--token", "tok-123456"], ActionsEnvironment());

        Assert.Equal("::add-mask::tok-123456", run.Lines.Single(line => line.Contains("tok-123456")));
    }

    [Theory]
    [InlineData("a%b\r\nc", "a%25b%0D%0Ac")]
    [InlineData("plain", "plain")]
    public void Data_is_escaped_as_the_runner_expects(string text, string escaped) =>
        Assert.Equal(escaped, Hosts.GitHubActionsHost.EscapeData(text));

    [Fact]
    public void Properties_also_escape_colons_and_commas() =>
        Assert.Equal("a%3Ab%2Cc", Hosts.GitHubActionsHost.EscapeProperty("a:b,c"));
}
