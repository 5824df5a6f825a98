namespace Slipway.Release.DotNet;

/// <summary>The solution a build compiles and tests when it names none: the only <c>*.sln</c> or <c>*.slnx</c> at the root.</summary>
public static class SolutionFile
{
    private const string Choose = "pass --solution <file> (or set \"Solution\" in .nuke/parameters.json)";

    /// <returns>The solution's file name, relative to <paramref name="root"/>; null when there is none or several.</returns>
    public static string? Find(string root) => Candidates(root) is [var only] ? only : null;

    /// <summary>Why <see cref="Find"/> found none, and what to do.</summary>
    public static string Problem(string root) => Candidates(root) switch
    {
        [] => $"No solution to compile and test: {root} holds no *.sln or *.slnx. Add one (dotnet new sln), or {Choose}.",
        var several => $"Several solutions in {root} ({string.Join(", ", several)}) and none chosen: {Choose}.",
    };

    private static List<string> Candidates(string root) =>
        Directory.Exists(root)
            ? [.. Directory.EnumerateFiles(root)
                .Where(path => path.EndsWith(".sln", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase))
                .Select(path => Path.GetFileName(path))
                .Order(StringComparer.Ordinal)]
            : [];
}
