namespace Slipway.Processes;

/// <summary>One invocation of an external tool: what to run, where, with which extra environment and limits.</summary>
public sealed record ToolCommand(string FileName, IReadOnlyList<string> Arguments)
{
    public ToolCommand(string fileName, params string[] arguments)
        : this(fileName, (IReadOnlyList<string>)arguments)
    {
    }

    public string? WorkingDirectory { get; init; }

    /// <summary>Merged over the inherited environment; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public TimeSpan? Timeout { get; init; }

    /// <summary>When false, a non-zero exit is returned in the result instead of thrown.</summary>
    public bool ThrowOnFailure { get; init; } = true;

    /// <summary>When false, output is captured only, not streamed to the log (for parsing tool output).</summary>
    public bool StreamOutput { get; init; } = true;

    public string? StandardInput { get; init; }

    public ToolCommand WithArguments(params string[] more) => this with { Arguments = [.. Arguments, .. more] };

    public ToolCommand WithEnvironment(string name, string? value) =>
        this with { Environment = new Dictionary<string, string?>(Environment) { [name] = value } };

    public override string ToString() => string.Join(' ', new[] { FileName }.Concat(Arguments.Select(Quote)));

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? argument : $"'{argument.Replace("'", "'\\''")}'";
}

/// <summary>What a finished tool run produced.</summary>
public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0;
}
