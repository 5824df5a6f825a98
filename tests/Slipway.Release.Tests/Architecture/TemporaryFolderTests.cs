using System.Text.RegularExpressions;

namespace Slipway.Release.Tests.Architecture;

/// <summary>
/// Nothing a run makes lands in the system temp folder: components make their temp folders with the build's
/// <c>CreateTemporaryDirectory</c> (inside the run's temp root, removed whatever happens, also after a second signal),
/// or in a folder they are given. Only the engine's run scope creates the temp root itself.
/// </summary>
public sealed partial class TemporaryFolderTests
{
    [Fact]
    public void No_source_outside_the_engine_run_scope_makes_a_folder_in_the_system_temp_folder()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(TestRepository.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Intersect(["bin", "obj"]).Any())
            .ToList();

        var offenders = sources
            .SelectMany(path => File.ReadLines(path).Select((line, index) => (Path: Path.GetRelativePath(TestRepository.Root, path), Line: index + 1, Text: line)))
            .Where(line => SystemTempUse().IsMatch(line.Text) && !line.Text.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .Where(line => line is not { Path: "src/Slipway/SlipwayBuild.cs" } || !line.Text.Contains("Path.GetTempPath()", StringComparison.Ordinal))
            .Select(line => $"{line.Path}:{line.Line}: {line.Text.Trim()}")
            .ToList();

        Assert.NotEmpty(sources);
        Assert.True(offenders.Count == 0, $"Use the build's CreateTemporaryDirectory (or take a folder factory) instead:\n{string.Join('\n', offenders)}");
    }

    [GeneratedRegex(@"\b(Directory\.CreateTempSubdirectory|Path\.GetTempPath|Path\.GetTempFileName)\s*\(")]
    private static partial Regex SystemTempUse();
}
