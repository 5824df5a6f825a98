namespace Slipway;

/// <summary>What the engine reads from the outside world; the process's own by default, a test's when given.</summary>
internal sealed record EngineEnvironment(
    TextWriter Output,
    IReadOnlyDictionary<string, string> Variables,
    string WorkingDirectory,
    bool IsTerminal)
{
    /// <summary>True for <c>./build.sh</c>'s process, which runs one build and nothing else; false for a build run inside a test.</summary>
    public bool OwnsProcess { get; init; }

    public static EngineEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        return new EngineEnvironment(output, variables, Directory.GetCurrentDirectory(), !Console.IsOutputRedirected);
    }

    public string? Variable(string name) => Variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public bool IsGitHubActions => Variable("GITHUB_ACTIONS") == "true";

    public bool SupportsColour =>
        Variable("NO_COLOR") is null && (Variable("FORCE_COLOR") is not null || (IsTerminal && Variable("TERM") is not ("dumb" or null)));

    /// <summary>The nearest directory upwards that holds <c>.nuke/</c>.</summary>
    public string FindRoot()
    {
        for (var directory = new DirectoryInfo(WorkingDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, ".nuke")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"No .nuke/ directory in '{WorkingDirectory}' or above it: run the build from inside the repository.");
    }
}
