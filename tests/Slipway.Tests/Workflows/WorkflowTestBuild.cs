using Slipway.Workflows;
using YamlDotNet.RepresentationModel;

namespace Slipway.Tests.Workflows;

/// <summary>A small build with a workflow description the tests change per case.</summary>
internal sealed class WorkflowTestBuild : SlipwayBuild, IGitHubWorkflows
{
    [Parameter("Registry user")]
    public readonly string? RegistryUsername;

    [Parameter("Registry password"), Secret]
    public readonly string? RegistryPassword;

    /// <summary>A member that is not a parameter.</summary>
    public string? Unbound => null;

    public Func<WorkflowTestBuild, IEnumerable<GitHubWorkflow>> Describe { get; set; } = build => [build.Ci()];

    public Target Default => _ => _.DependsOn(this.From<IGitHubWorkflows>().CheckWorkflows);

    public Target Compile => _ => _.Executes(() => { });

    public Target Release => _ => _.Executes(() => { });

    IEnumerable<GitHubWorkflow> IGitHubWorkflows.Workflows => Describe(this);

    public GitHubWorkflow Ci(Action<WorkflowJob>? change = null) =>
        new GitHubWorkflow("ci.yml", "CI")
            .On(WorkflowTrigger.PullRequest(), WorkflowTrigger.Push(branches: ["main"]))
            .Job("build", job =>
            {
                job.Grants(Permission.Read(PermissionScope.Contents))
                    .Timeout(30)
                    .Concurrent(WorkflowConcurrency.PerPullRequest)
                    .Steps(Step.Checkout(), Step.Runs(Compile, "--verbose"), Step.UploadArtifact("log", [".nuke/temp/build.log"]).Always());
                change?.Invoke(job);
            });

    public IReadOnlyList<RenderedWorkflow> Render() => ((IGitHubWorkflows)this).RenderWorkflows();

    public static YamlMappingNode Parse(string yaml) => YamlNodePaths.ParseYaml(yaml);
}

/// <summary>The steps of a parsed workflow's job.</summary>
internal static class ParsedSteps
{
    public static IEnumerable<YamlMappingNode> Steps(this YamlNode workflow, string job) =>
        ((YamlSequenceNode)workflow.At("jobs", job, "steps")).Children.Cast<YamlMappingNode>();
}
