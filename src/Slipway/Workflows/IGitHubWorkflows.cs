using Slipway.Planning;

namespace Slipway.Workflows;

/// <summary>
/// The build's GitHub Actions workflows, described in C# (<see cref="Workflows"/>): one target writes
/// <c>.github/workflows/*.yml</c> from the description, one fails when the committed files drift from it.
/// </summary>
public interface IGitHubWorkflows : ISlipwayBuild
{
    /// <summary>How messages name the folder.</summary>
    const string WorkflowsFolder = ".github/workflows";

    string WorkflowsDirectory => Path.Combine(RootDirectory, ".github", "workflows");

    /// <summary>This repository's workflows.</summary>
    IEnumerable<GitHubWorkflow> Workflows { get; }

    Target GenerateWorkflows => _ => _
        .Description("Write .github/workflows/*.yml from the build's workflow description; remove generated files it no longer describes")
        .Executes(() =>
        {
            foreach (var change in WorkflowFiles.Write(WorkflowsDirectory, WorkflowsFolder, RenderWorkflows()))
                Log.Info(change);
        });

    Target CheckWorkflows => _ => _
        .Description("Fail when .github/workflows differs from what the build generates (edited, missing or orphaned files); writes nothing")
        .ProceedAfterFailure()
        .Executes(() =>
        {
            var generated = RenderWorkflows();
            var drifts = WorkflowFiles.Compare(WorkflowsDirectory, WorkflowsFolder, generated);
            foreach (var drift in drifts)
            {
                Log.Error(drift.Summary);
                foreach (var line in drift.Diff.Split('\n'))
                    Log.Output(line);
            }

            if (drifts.Count > 0)
                throw new InvalidOperationException($"{string.Join(", ", drifts.Select(drift => $"{drift.Path} {drift.Kind.ToString().ToLowerInvariant()}"))}: run {WorkflowFiles.FixCommand} and commit {WorkflowsFolder}.");
            Log.Info($"{WorkflowsFolder} matches the build ({string.Join(", ", generated.Select(workflow => workflow.FileName))})");
        });

    /// <summary>Every described workflow as the bytes of its file.</summary>
    IReadOnlyList<RenderedWorkflow> RenderWorkflows()
    {
        var context = new BuildWorkflowContext(BuildModel.Discover(this));
        var workflows = Workflows.ToList();
        foreach (var duplicate in workflows.GroupBy(workflow => workflow.FileName).Where(group => group.Count() > 1))
            throw new InvalidOperationException($"Two workflows are described as {WorkflowsFolder}/{duplicate.Key}: give each its own file name.");
        return [.. workflows.Select(workflow => new RenderedWorkflow(workflow.FileName, WorkflowRenderer.Render(workflow, context)))];
    }
}
