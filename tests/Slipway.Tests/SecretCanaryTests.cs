using System.Text;
using Slipway.Processes;
using Slipway.Tests.Support;

namespace Slipway.Tests;

/// <summary>
/// A canary secret, and what tools make of it, sent through every way out the engine has (log lines, tool output, a failure's
/// message, the summary, the step summary, outputs): it shows up in none of them, nor in any file the run leaves under .nuke/temp.
/// </summary>
public sealed class SecretCanaryTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private sealed class Leaky : SlipwayBuild
    {
        [Parameter("A registry password"), Secret]
        public readonly string? Password;

        Target Talk => _ => _.Executes(async ct =>
        {
            foreach (var encoded in SecretRegistryTests.EncodedCanaries().Append(Password!))
            {
                Log.Info($"log line {encoded}");
                Log.Warning($"warning {encoded}");
                Report.AddSection("Section", $"| value | {encoded} |");
            }

            Host.SetOutput("password", Password!);
            Host.SetOutput("auth", Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + Password)));
            // What a docker or helm login writes: base64 of user:password inside JSON, printed by a real tool.
            await Processes.RunAsync(
                new ToolCommand("sh", "-c", """printf '{"auths":{"r":{"auth":"%s"}}}\n' "$(printf 'user:%s' "$PASSWORD" | base64 -w0)"; echo "$PASSWORD" >&2""")
                    .WithEnvironment("PASSWORD", Password),
                ct);
        });

        Target Fail => _ => _
            .DependsOn(Talk)
            .Executes(() => throw new InvalidOperationException($"login refused for {Password} (base64 {Convert.ToBase64String(Encoding.UTF8.GetBytes(Password!))})"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_canary_and_its_encoded_forms_are_in_no_output_log_summary_output_file_or_temp_file(bool gitHubActions)
    {
        var summary = Path.Combine(_workspace.Root, "step-summary.md");
        var outputs = Path.Combine(_workspace.Root, "github-output.txt");
        var environment = gitHubActions
            ? new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary, ["GITHUB_OUTPUT"] = outputs }
            : [];
        var run = await BuildRun.RunAsync<Leaky>(_workspace, ["Fail", "--password", SecretRegistryTests.Canary], environment);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("login refused for ***", run.Output);
        // The digits before the mask encode "user:" and the first bits of the canary's first byte; the rest is masked.
        Assert.Matches("\"auth\":\"dXNlcjpj\\*\\*\\*=?\"", run.Output);
        var places = new Dictionary<string, string> { ["output"] = run.Output };
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_workspace.Root, ".nuke", "temp"), "*", SearchOption.AllDirectories).Concat([summary, outputs]).Where(File.Exists))
            places[Path.GetRelativePath(_workspace.Root, file)] = await File.ReadAllTextAsync(file);
        if (gitHubActions)
        {
            Assert.Contains("| value | *** |", places["step-summary.md"]);
            Assert.Contains("password=***", places["github-output.txt"]);
        }

        Assert.Contains(Path.Combine(".nuke", "temp", "build.log"), places.Keys);
        foreach (var (place, text) in places)
        {
            var shown = gitHubActions && place == "output" ? WithoutAddMask(text) : text;
            Assert.True(!SecretRegistryTests.Leaks(shown).Any(), $"{place} leaks {string.Join(", ", SecretRegistryTests.Leaks(shown))}:\n{shown}");
        }
    }

    /// <summary>::add-mask:: is the one line that must carry the secret: it tells GitHub's runner what to mask.</summary>
    private static string WithoutAddMask(string output) =>
        string.Join('\n', output.Split('\n').Where(line => !line.StartsWith("::add-mask::", StringComparison.Ordinal)));
}
