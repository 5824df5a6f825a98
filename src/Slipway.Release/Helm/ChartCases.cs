using System.Text.RegularExpressions;

namespace Slipway.Release.Helm;

/// <summary>One values case of a chart: the defaults (no file) or a <c>ci/*.yaml</c> file.</summary>
public sealed record ValuesCase(string Name, string? ValuesFile);

/// <summary>
/// A values file the chart's schema must reject, with the values path helm's error must name: <c># expect-error: image.tag</c>
/// (see <see cref="ValuesPath"/>; an unknown or missing key is named by its own path, <c>image.pullpolicy</c>).
/// </summary>
public sealed record InvalidValuesCase(string Name, string ValuesFile, ValuesPath ExpectedError);

/// <summary>The values cases of a chart: defaults plus <c>ci/*.yaml</c> (chart-testing's convention), and <c>ci/invalid/*.yaml</c>.</summary>
public static partial class ChartCases
{
    public const string DefaultCase = "default";

    public static IReadOnlyList<ValuesCase> Valid(string chartDirectory) =>
    [
        new ValuesCase(DefaultCase, null),
        .. YamlFiles(Path.Combine(chartDirectory, "ci")).Select(file => new ValuesCase(Path.GetFileNameWithoutExtension(file), file)),
    ];

    public static IReadOnlyList<InvalidValuesCase> Invalid(string chartDirectory) =>
        [.. YamlFiles(Path.Combine(chartDirectory, "ci", "invalid")).Select(ReadInvalid)];

    /// <summary>
    /// helm checks values only against a chart's <c>values.schema.json</c>: without one, every <c>ci/invalid</c> case would be
    /// "accepted", which says nothing about the cases. So a chart with invalid cases and no schema is refused as exactly that.
    /// </summary>
    /// <param name="shownAs">The chart folder as the message names it (relative to the repository).</param>
    public static void RequireSchemaFor(string chartDirectory, IReadOnlyList<InvalidValuesCase> invalid, string shownAs)
    {
        if (invalid.Count == 0 || File.Exists(Path.Combine(chartDirectory, SchemaFile)))
            return;
        var names = string.Join(", ", invalid.Take(3).Select(values => values.Name)) + (invalid.Count > 3 ? $" and {invalid.Count - 3} more" : string.Empty);
        throw new InvalidDataException(
            $"{shownAs} has {invalid.Count} ci/invalid case(s) ({names}) but no {SchemaFile}, so nothing can reject them: helm checks values only against the chart's schema. " +
            $"Next step: restore {Path.Combine(shownAs, SchemaFile)} (git checkout -- {Path.Combine(shownAs, SchemaFile)}), or delete {Path.Combine(shownAs, "ci", "invalid")} if the chart has no schema.");
    }

    public const string SchemaFile = "values.schema.json";

    private static InvalidValuesCase ReadInvalid(string file)
    {
        var expectation = File.ReadLines(file).Select(line => ExpectErrorPattern().Match(line)).FirstOrDefault(match => match.Success)
            ?? throw new InvalidDataException($"{file} has no '# expect-error: <path>' line naming the values path the schema must reject, e.g. '# expect-error: image.tag'.");
        var expected = expectation.Groups["expected"].Value.Trim();
        if (!ValuesPath.TryParse(expected, out var path, out var problem))
            throw new InvalidDataException(
                $"{file}: '# expect-error: {expected}' is not a values path: {problem}. Write the dotted path of the value the schema must reject, " +
                "e.g. 'image.tag' or 'networkPolicy.ingressCidrs.0'; for an unknown or missing key, the key's own path ('image.pullpolicy', 'resources.limits.memory').");
        return new InvalidValuesCase(Path.GetFileNameWithoutExtension(file), file, path);
    }

    private static IEnumerable<string> YamlFiles(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).Where(file => file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            : [];

    [GeneratedRegex(@"^#\s*expect-error:\s*(?<expected>.+)$")]
    private static partial Regex ExpectErrorPattern();
}
