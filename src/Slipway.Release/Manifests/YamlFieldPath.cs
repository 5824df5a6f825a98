using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Slipway.Release.Manifests;

/// <summary>Turns a position in a YAML document into the dotted field path a reader knows, e.g. <c>spec.template.spec.containers[0].securityContex</c>.</summary>
internal static partial class YamlFieldPath
{
    /// <summary>
    /// Descends into the last child that starts at or before the position. Only start marks are used: YamlDotNet
    /// records a block collection's end as its start, so containment by end mark cannot be trusted.
    /// </summary>
    public static string? At(YamlNode root, int line, int column) => Find(root, line, column, null);

    private static string? Find(YamlNode node, int line, int column, string? path)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var entry = mapping.Children.LastOrDefault(child => StartsAtOrBefore(child.Key, line, column));
                if (entry.Key is null)
                    return path;
                var keyPath = path is null ? entry.Key.ToString() : $"{path}.{entry.Key}";
                var onKey = entry.Key.Start.Line == line && entry.Key.Start.Column == column;
                return onKey || !StartsAtOrBefore(entry.Value, line, column) ? keyPath : Find(entry.Value, line, column, keyPath);
            case YamlSequenceNode sequence:
                var index = sequence.Children.ToList().FindLastIndex(item => StartsAtOrBefore(item, line, column));
                return index < 0 ? path : Find(sequence.Children[index], line, column, $"{path}[{index}]");
            default:
                return path;
        }
    }

    /// <summary>The line of the node at a dotted path (<c>spec.template.spec.containers[1].name</c>), else of its deepest ancestor present.</summary>
    public static int LineOf(YamlNode root, string path)
    {
        var node = root;
        foreach (Match segment in Segment().Matches(path))
        {
            YamlNode? child = node switch
            {
                YamlMappingNode mapping when segment.Groups["key"].Success =>
                    mapping.Children.FirstOrDefault(entry => entry.Key is YamlScalarNode { Value: var key } && key == segment.Groups["key"].Value).Value,
                YamlSequenceNode sequence when segment.Groups["index"].Success && int.Parse(segment.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture) is var index && index < sequence.Children.Count =>
                    sequence.Children[index],
                _ => null,
            };
            if (child is null)
                break;
            node = child;
        }

        return (int)node.Start.Line;
    }

    [GeneratedRegex(@"(?<key>[^.\[\]]+)|\[(?<index>\d+)\]")]
    private static partial Regex Segment();

    private static bool StartsAtOrBefore(YamlNode node, int line, int column) =>
        node.Start.Line < line || (node.Start.Line == line && node.Start.Column <= column);
}
