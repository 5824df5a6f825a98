using System.Text.RegularExpressions;

namespace Slipway.Release.Helm;

/// <summary>One values case of a chart: the defaults (no file) or a <c>ci/*.yaml</c> file.</summary>
public sealed record ValuesCase(string Name, string? ValuesFile);

/// <summary>A values file the chart's schema must reject, with the path helm's error must name (<c># expect-error: image.tag</c>).</summary>
public sealed record InvalidValuesCase(string Name, string ValuesFile, string ExpectedError);

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
            ?? throw new InvalidDataException($"{file} has no '# expect-error: <path>' line naming what the schema error must mention.");
        return new InvalidValuesCase(Path.GetFileNameWithoutExtension(file), file, expectation.Groups["expected"].Value.Trim());
    }

    private static IEnumerable<string> YamlFiles(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).Where(file => file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            : [];

    [GeneratedRegex(@"^#\s*expect-error:\s*(?<expected>.+)$")]
    private static partial Regex ExpectErrorPattern();
}
