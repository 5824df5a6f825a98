using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Slipway.Release.Tests.Workflows;

/// <summary>A parsed workflow file, read by path: <c>workflow.At("jobs", "ci", "permissions")</c>.</summary>
internal sealed partial class WorkflowYaml(string name, string text)
{
    public string Name { get; } = name;

    public string Text { get; } = text;

    public YamlMappingNode Root { get; } = Load(text);

    public IReadOnlyList<string> Triggers => Keys(Root.At("on"));

    public IEnumerable<string> JobIds => Keys(Root.At("jobs"));

    public bool RunsPullRequestCode => Triggers.Contains("pull_request") || Triggers.Contains("pull_request_target");

    public IReadOnlyDictionary<string, string> Permissions(string job) => Map(Root.At("jobs", job, "permissions"));

    public IEnumerable<YamlMappingNode> Steps(string job) => ((YamlSequenceNode)Root.At("jobs", job, "steps")).Children.Cast<YamlMappingNode>();

    public IEnumerable<string> Uses => JobIds.SelectMany(Steps).Where(step => step.Has("uses")).Select(step => step.Text("uses"));

    /// <summary>Every scalar under the job, to look for secrets wherever they might be written.</summary>
    public IEnumerable<string> Scalars(string job) => AllScalars(Root.At("jobs", job));

    public static bool IsPinned(string uses) => PinnedUses().IsMatch(uses);

    public static IReadOnlyList<string> Keys(YamlNode node) => [.. ((YamlMappingNode)node).Children.Keys.Select(key => ((YamlScalarNode)key).Value!)];

    public static IReadOnlyDictionary<string, string> Map(YamlNode node) =>
        ((YamlMappingNode)node).Children.ToDictionary(entry => ((YamlScalarNode)entry.Key).Value!, entry => ((YamlScalarNode)entry.Value).Value!);

    public static IReadOnlyList<string> List(YamlNode node) => [.. ((YamlSequenceNode)node).Children.Select(item => ((YamlScalarNode)item).Value!)];

    private static IEnumerable<string> AllScalars(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? string.Empty],
        YamlMappingNode mapping => mapping.Children.SelectMany(entry => AllScalars(entry.Key).Concat(AllScalars(entry.Value))),
        YamlSequenceNode sequence => sequence.Children.SelectMany(AllScalars),
        _ => [],
    };

    private static YamlMappingNode Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")]
    private static partial Regex PinnedUses();
}

internal static class YamlNodePaths
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

    public static bool Has(this YamlMappingNode node, string key) => node.Children.ContainsKey(new YamlScalarNode(key));
}
