using Slipway.Release.Tests.Support;
using Slipway.Release.Workflows;

namespace Slipway.Release.Tests.Workflows;

public sealed class WorkflowLintTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private sealed class RecordingActionlint(params ActionlintFinding[] findings) : IActionlint
    {
        public List<(string Directory, IReadOnlyList<string> Files)> Calls { get; } = [];

        public Task<IReadOnlyList<ActionlintFinding>> LintAsync(string workingDirectory, IReadOnlyList<string> files, CancellationToken cancellationToken)
        {
            Calls.Add((workingDirectory, files));
            return Task.FromResult<IReadOnlyList<ActionlintFinding>>(findings);
        }
    }

    [Fact]
    public async Task Every_workflow_file_GitHub_reads_is_linted_by_its_repository_relative_name_and_findings_come_back_in_file_and_line_order()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root.Path, ".github", "workflows")).FullName;
        foreach (var name in new[] { "z.yml", "a.yaml", "README.md" })
            await File.WriteAllTextAsync(Path.Combine(folder, name), "x");
        Directory.CreateDirectory(Path.Combine(folder, "nested"));
        await File.WriteAllTextAsync(Path.Combine(folder, "nested", "ignored.yml"), "x");
        var actionlint = new RecordingActionlint(
            new ActionlintFinding(".github/workflows/z.yml", 9, 1, "later", "expression"),
            new ActionlintFinding(".github/workflows/z.yml", 2, 5, "earlier", "syntax-check"),
            new ActionlintFinding(".github/workflows/a.yaml", 4, 3, "first file", "permissions"));

        var (files, findings) = await new WorkflowLint(actionlint).LintAsync(_root.Path, ".github/workflows", CancellationToken.None);

        Assert.Equal([".github/workflows/a.yaml", ".github/workflows/z.yml"], files);
        Assert.Equal((_root.Path, files), Assert.Single(actionlint.Calls));
        Assert.Equal(
            [".github/workflows/a.yaml:4:3: first file [permissions]", ".github/workflows/z.yml:2:5: earlier [syntax-check]", ".github/workflows/z.yml:9:1: later [expression]"],
            findings.Select(finding => finding.ToString()));
    }

    [Fact]
    public async Task Without_a_workflows_folder_nothing_is_linted()
    {
        var actionlint = new RecordingActionlint();

        var (files, findings) = await new WorkflowLint(actionlint).LintAsync(_root.Path, ".github/workflows", CancellationToken.None);

        Assert.Empty(files);
        Assert.Empty(findings);
        Assert.Empty(actionlint.Calls);
    }
}
