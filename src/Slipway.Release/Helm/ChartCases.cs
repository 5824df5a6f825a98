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
