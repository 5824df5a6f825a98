using System.Text.RegularExpressions;
using Slipway.Processes;

namespace Slipway.Release.Containers;

/// <summary>
/// What <c>dotnet publish -t:PublishContainer</c> said, summarised: its errors and warnings in full (each once), and of
/// its routine lines (restore, one "&lt;project&gt; -&gt;" per output, one "Building image" per platform, the index and the archive)
/// only what they add up to. The whole output still goes to the build log, at debug level.
/// </summary>
public sealed partial record SdkOutput(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, IReadOnlyList<string> RuntimeIdentifiers, string? Archive, int Lines)
{
    private const int MaxWarnings = 10;

    public static SdkOutput Read(ToolResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var lines = (result.StandardOutput + "\n" + result.StandardError)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new SdkOutput(
            [.. lines.Where(line => ErrorLine().IsMatch(line)).Select(WithoutProject).Distinct(StringComparer.Ordinal)],
            [.. lines.Where(line => WarningLine().IsMatch(line)).Select(WithoutProject).Distinct(StringComparer.Ordinal)],
            [.. lines.Select(line => BuildingImage().Match(line)).Where(match => match.Success).Select(match => match.Groups["rid"].Value).Distinct(StringComparer.Ordinal)],
            lines.Select(line => ToArchive().Match(line)).FirstOrDefault(match => match.Success)?.Groups["path"].Value,
            lines.Length);
    }

    /// <summary>One line for the log: what was built, where it went, how much the SDK said and how many warnings.</summary>
    public string Summary(string rootDirectory)
    {
        var images = RuntimeIdentifiers.Count == 0 ? "no image" : $"{RuntimeIdentifiers.Count} image{(RuntimeIdentifiers.Count == 1 ? string.Empty : "s")} ({string.Join(", ", RuntimeIdentifiers)})";
        var archive = Archive is null ? string.Empty : $" into {Path.GetRelativePath(rootDirectory, Archive)}";
        return $"The SDK built {images}{archive}; {Lines} lines of output (in the build log at debug level), {Warnings.Count} warning{(Warnings.Count == 1 ? string.Empty : "s")}, {Errors.Count} error{(Errors.Count == 1 ? string.Empty : "s")}.";
    }

    /// <summary>The warnings to show: each once, at most ten, then how many more there were.</summary>
    public IEnumerable<string> ShownWarnings() =>
        Warnings.Count <= MaxWarnings ? Warnings : [.. Warnings.Take(MaxWarnings), $"... and {Warnings.Count - MaxWarnings} more warnings (in the build log)"];

    // MSBuild appends the project it was building: " [/path/Project.csproj]".
    private static string WithoutProject(string line) => ProjectSuffix().Replace(line, string.Empty);

    [GeneratedRegex(@"(^|: )error [A-Z]*\d*\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"(^|: )warning [A-Z]*\d*\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex WarningLine();

    [GeneratedRegex(@"Building image '[^']+' for runtime identifier '(?<rid>[^']+)'")]
    private static partial Regex BuildingImage();

    [GeneratedRegex(@"Pushed image '[^']+' to local archive at '(?<path>[^']+)'")]
    private static partial Regex ToArchive();

    [GeneratedRegex(@"\s*\[[^\[\]]+\.(cs|fs|vb)proj\]$")]
    private static partial Regex ProjectSuffix();
}
