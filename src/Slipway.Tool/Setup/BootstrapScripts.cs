using System.Text.RegularExpressions;

namespace Slipway.Tool.Setup;

/// <summary>
/// build.sh and build.cmd for an adopting repository: Slipway's own scripts (embedded as they are in its repository), with
/// only the list of the build's inputs changed, since there the engine and components come from NuGet, not from src/.
/// </summary>
internal static partial class BootstrapScripts
{
    /// <summary>What the build project is compiled from, and what can change its restore.</summary>
    private static readonly string[] Inputs = ["build", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config", "nuget.config"];

    public static string BuildSh() => ReplaceOnce(Resource("build.sh"), ShellInputs(), match => $"{match.Groups["head"].Value}{string.Join(' ', Inputs)}{match.Groups["tail"].Value}", "build.sh", "for path in ...; do");

    public static string BuildCmd() => ReplaceOnce(
        Resource("build.cmd"),
        PowerShellInputs(),
        _ => "Get-ChildItem -Recurse -File -ErrorAction SilentlyContinue " + string.Join(',', Inputs.Select(input => $"'%ROOT%{input}'")),
        "build.cmd",
        "Get-ChildItem -Recurse -File '%ROOT%...',...");

    private static string ReplaceOnce(string text, Regex pattern, MatchEvaluator replacement, string script, string expected)
    {
        var matches = pattern.Matches(text);
        return matches.Count == 1
            ? pattern.Replace(text, replacement)
            : throw new InvalidOperationException($"Slipway's {script} has {matches.Count} lines listing the build's inputs ({expected}), not one: setup cannot adapt it. This is a bug in Slipway.Tool.");
    }

    private static string Resource(string name)
    {
        using var stream = typeof(BootstrapScripts).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"{name} is not embedded in Slipway.Tool.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(?<head>[ \t]*for path in )[^;\n]+(?<tail>; do)$", RegexOptions.Multiline)]
    private static partial Regex ShellInputs();

    [GeneratedRegex(@"Get-ChildItem -Recurse -File '%ROOT%[^']*'(,'%ROOT%[^']*')*")]
    private static partial Regex PowerShellInputs();
}
