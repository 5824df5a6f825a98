namespace Slipway.Release.Workflows;

/// <summary>Which workflow files actionlint sees (every <c>*.yml</c>/<c>*.yaml</c> GitHub would read, committed or not) and what its findings mean.</summary>
public sealed class WorkflowLint(IActionlint actionlint)
{
    /// <param name="root">The repository root; files and findings are named relative to it.</param>
    /// <param name="workflowsFolder">Relative to the root, e.g. <c>.github/workflows</c>.</param>
    /// <returns>The files linted and the findings; any finding fails the gate.</returns>
    public async Task<(IReadOnlyList<string> Files, IReadOnlyList<ActionlintFinding> Findings)> LintAsync(string root, string workflowsFolder, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(root, workflowsFolder);
        if (!Directory.Exists(directory))
            return ([], []);
        // GitHub reads only the folder itself, not subfolders.
        var files = Directory.EnumerateFiles(directory)
            .Where(path => path.EndsWith(".yml", StringComparison.Ordinal) || path.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(path => $"{workflowsFolder}/{Path.GetFileName(path)}")
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
            return ([], []);
        var findings = await actionlint.LintAsync(root, files, cancellationToken);
        return (files, [.. findings.OrderBy(finding => finding.File, StringComparer.Ordinal).ThenBy(finding => finding.Line).ThenBy(finding => finding.Column)]);
    }
}
