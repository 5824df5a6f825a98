using System.Globalization;
using System.Text.RegularExpressions;

namespace Slipway.Tool.Setup;

/// <summary>What setup found in the repository, or was told where it could not tell.</summary>
/// <param name="Root">The git work tree's top folder, absolute.</param>
/// <param name="ServiceProject">The service's project, relative to the root, with '/'.</param>
/// <param name="Chart">The chart's folder, relative to the root, with '/'.</param>
/// <param name="ChartNamed">Whether <c>--chart</c> named it (then the build names it too; a found chart is found again by the build).</param>
/// <param name="Sdk">The SDK <c>dotnet --version</c> answers in the root (global.json applies).</param>
public sealed record RepositoryFacts(string Root, string ServiceProject, string Chart, bool ChartNamed, DotNetSdk Sdk);

/// <summary>A .NET SDK version, e.g. 10.0.401.</summary>
public sealed partial record DotNetSdk(int Major, int Minor, int Patch)
{
    /// <summary><c>net10.0</c> for SDK 10.0.x: the build project targets the SDK's own framework.</summary>
    public string TargetFramework => $"net{Major}.{Minor}";

    /// <summary>The feature band, <c>10.0.400</c> for 10.0.401: what a written global.json asks for (later bands roll forward).</summary>
    public string Band => $"{Major}.{Minor}.{Patch / 100 * 100}";

    /// <param name="text">What <c>dotnet --version</c> printed.</param>
    /// <param name="where">The folder it ran in, for the message.</param>
    public static DotNetSdk Parse(string text, string where)
    {
        var match = VersionPattern().Match(text.Trim());
        return match.Success
            ? new DotNetSdk(Number(match, "major"), Number(match, "minor"), Number(match, "patch"))
            : throw new SetupException($"'dotnet --version' answered '{text.Trim()}' in {where}, not an SDK version like 10.0.401: check the .NET SDK install (and global.json, if there is one).");
    }

    private static int Number(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<major>\d+)\.(?<minor>\d+)\.(?<patch>\d+)(-[0-9A-Za-z.-]+)?$")]
    private static partial Regex VersionPattern();
}
