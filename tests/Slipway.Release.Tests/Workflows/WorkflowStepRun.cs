using System.Diagnostics;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Slipway.Release.Tests.Workflows;

/// <summary>
/// A committed step as a runner runs it: its <c>env:</c> with each <c>${{ }}</c> replaced by the value a sample event
/// gives, its <c>run:</c> by the real bash with the options GitHub uses for <c>shell: bash</c>.
/// </summary>
internal static partial class WorkflowStepRun
{
    public static Dictionary<string, string> Environment(YamlMappingNode step, IReadOnlyDictionary<string, string> expressions) =>
        step.Map("env").ToDictionary(entry => entry.Key, entry => Evaluate(entry.Value, expressions));

    public static string Evaluate(string text, IReadOnlyDictionary<string, string> expressions) =>
        Expression().Replace(text, match => expressions.TryGetValue(match.Groups["expression"].Value, out var value)
            ? value
            : throw new Xunit.Sdk.XunitException($"The test gives no value for {match.Value}: add it to the sample event."));

    /// <summary>The script in <paramref name="directory"/>, inheriting this process's environment without anything of GitHub Actions, Slipway or a kubeconfig, plus <paramref name="environment"/>.</summary>
    public static async Task<(int ExitCode, string Output)> BashAsync(string script, string directory, IReadOnlyDictionary<string, string> environment, TimeSpan limit)
    {
        var start = new ProcessStartInfo("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("GITHUB_", StringComparison.Ordinal) || name.StartsWith("SLIPWAY_", StringComparison.Ordinal) || name is "CI" or "KUBECONFIG" or "RUNNER_TEMP").ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var error = bash.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await bash.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            bash.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{script}` did not finish within {limit.TotalSeconds:0} s.");
        }

        return (bash.ExitCode, await output + await error);
    }

    /// <summary>The words of <c>exec ./build.sh &lt;Target&gt; ...</c> after <c>./build.sh</c>, as bash expands them with <paramref name="environment"/>.</summary>
    public static async Task<string[]> BuildArgumentsAsync(string script, IReadOnlyDictionary<string, string> environment)
    {
        const string Prefix = "exec ./build.sh ";
        Assert.StartsWith(Prefix, script, StringComparison.Ordinal);
        var (exitCode, output) = await BashAsync("printf '%s\\0' " + script[Prefix.Length..], System.Environment.CurrentDirectory, environment, TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, output);
        return output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    [GeneratedRegex(@"\$\{\{ (?<expression>.+?) \}\}")]
    private static partial Regex Expression();
}
