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

    public static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }
}

/// <summary>Reading parsed YAML by path: <c>node.At("jobs", "build", "permissions")</c>.</summary>
internal static class YamlPaths
{
    public static YamlNode At(this YamlNode node, params object[] path)
    {
        foreach (var step in path)
        {
            node = step switch
            {
                string key => ((YamlMappingNode)node).Children[new YamlScalarNode(key)],
                int index => ((YamlSequenceNode)node).Children[index],
                _ => throw new ArgumentException($"{step} is neither a key nor an index."),
            };
        }

        return node;
    }

    public static string Text(this YamlNode node, params object[] path) => ((YamlScalarNode)node.At(path)).Value!;

    public static IReadOnlyList<string> Keys(this YamlNode node, params object[] path) =>
        [.. ((YamlMappingNode)node.At(path)).Children.Keys.Select(key => ((YamlScalarNode)key).Value!)];

    public static IReadOnlyDictionary<string, string> Map(this YamlNode node, params object[] path) =>
        ((YamlMappingNode)node.At(path)).Children.ToDictionary(entry => ((YamlScalarNode)entry.Key).Value!, entry => ((YamlScalarNode)entry.Value).Value!);

    public static IEnumerable<YamlMappingNode> Steps(this YamlNode workflow, string job) =>
        ((YamlSequenceNode)workflow.At("jobs", job, "steps")).Children.Cast<YamlMappingNode>();

    public static bool Has(this YamlMappingNode node, string key) => node.Children.ContainsKey(new YamlScalarNode(key));
}
