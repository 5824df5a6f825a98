using System.Text.RegularExpressions;

namespace Slipway.Processes;

/// <summary>Asks an executable for its version through the process runner, the same way for every tool.</summary>
public static class VersionDetection
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs <paramref name="command"/> quietly and reads the first match of <paramref name="pattern"/> (three numeric
    /// groups: major, minor, patch) in its output; null when it fails or prints no version.
    /// </summary>
    public static async Task<Version?> DetectVersionAsync(this IProcessRunner runner, ToolCommand command, Regex pattern, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(pattern);
        var result = await runner.RunAsync(command with { StreamOutput = false, ThrowOnFailure = false, Timeout = command.Timeout ?? ProbeTimeout }, cancellationToken);
        return result.Succeeded ? ParseVersion(result.StandardOutput + "\n" + result.StandardError, pattern) : null;
    }

    public static Version? ParseVersion(string output, Regex pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var match = pattern.Match(output ?? string.Empty);
        return match.Success && match.Groups.Count >= 4
            && int.TryParse(match.Groups[1].Value, out var major) && int.TryParse(match.Groups[2].Value, out var minor) && int.TryParse(match.Groups[3].Value, out var patch)
                ? new Version(major, minor, patch)
                : null;
    }
}
