using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Slipway.Release.Tests.Workflows;

/// <summary>A parsed workflow file, read by path: <c>workflow.At("jobs", "ci", "permissions")</c>.</summary>
internal sealed partial class WorkflowYaml(string name, string text)
{
    public string Name { get; } = name;

    public string Text { get; } = text;

    public YamlMappingNode Root { get; } = YamlNodePaths.ParseYaml(text);

    public IReadOnlyList<string> Triggers => Root.Keys("on");

    public IEnumerable<string> JobIds => Root.Keys("jobs");

    public bool RunsPullRequestCode => Triggers.Contains("pull_request") || Triggers.Contains("pull_request_target");

    public IReadOnlyDictionary<string, string> Permissions(string job) => Root.Map("jobs", job, "permissions");

    public IEnumerable<YamlMappingNode> Steps(string job) => ((YamlSequenceNode)Root.At("jobs", job, "steps")).Children.Cast<YamlMappingNode>();

    public IEnumerable<string> Uses => JobIds.SelectMany(Steps).Where(step => step.Has("uses")).Select(step => step.Text("uses"));

    /// <summary>Every scalar under the job, to look for secrets wherever they might be written.</summary>
    public IEnumerable<string> Scalars(string job) => AllScalars(Root.At("jobs", job));

    public static bool IsPinned(string uses) => PinnedUses().IsMatch(uses);

    private static IEnumerable<string> AllScalars(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? string.Empty],
        YamlMappingNode mapping => mapping.Children.SelectMany(entry => AllScalars(entry.Key).Concat(AllScalars(entry.Value))),
        YamlSequenceNode sequence => sequence.Children.SelectMany(AllScalars),
        _ => [],
    };

    [GeneratedRegex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")]
    private static partial Regex PinnedUses();
}
