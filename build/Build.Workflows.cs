using Slipway.Release.Pipeline;

/// <summary>
/// This repository's GitHub Actions workflows are the pipeline's (<see cref="IServicePipeline"/>): ci.yml, publish.yml, and
/// the PR lane's pr-smoke.yml, pr-comment.yml and janitor.yml.
/// <c>./build.sh GenerateWorkflows</c> writes them to .github/workflows; <c>./build.sh Ci</c> fails when the committed files
/// differ (CheckWorkflows) and lints them with actionlint (LintWorkflows).
/// </summary>
partial class Build
{
    /// <summary>Here the tools are pinned in the source itself, not by a package version.</summary>
    IReadOnlyList<string> IServicePipeline.ToolPinningFiles => ["src/Slipway.Release/Tools/PinnedTools.cs"];
}
