using YamlDotNet.RepresentationModel;

namespace Slipway.Testing;

/// <summary>Reading parsed YAML by path: <c>workflow.At("jobs", "ci", "permissions")</c>. Linked into each test project that parses workflows.</summary>
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

    public static IReadOnlyList<string> Keys(this YamlNode node, params object[] path) =>
        [.. ((YamlMappingNode)node.At(path)).Children.Keys.Select(key => ((YamlScalarNode)key).Value!)];

    public static IReadOnlyDictionary<string, string> Map(this YamlNode node, params object[] path) =>
        ((YamlMappingNode)node.At(path)).Children.ToDictionary(entry => ((YamlScalarNode)entry.Key).Value!, entry => ((YamlScalarNode)entry.Value).Value!);

    public static IReadOnlyList<string> List(this YamlNode node, params object[] path) =>
        [.. ((YamlSequenceNode)node.At(path)).Children.Select(item => ((YamlScalarNode)item).Value!)];

    public static YamlMappingNode ParseYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }
}
