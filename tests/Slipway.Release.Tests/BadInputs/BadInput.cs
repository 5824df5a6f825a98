using System.Diagnostics;

namespace Slipway.Release.Tests.BadInputs;

/// <summary>
/// One bad input as a user gives it (arguments, environment, files, git state) and what must come of it: the exit code, key
/// words of the message, words that must never show (a secret), and, always, nothing left behind.
/// </summary>
/// <param name="Name">Unique in the catalogue; it names the test case.</param>
public sealed record BadInput(string Name, params string[] Arguments)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Files, tags, commits: run on a workspace that already holds .nuke/ and one commit.</summary>
    public Action<BadInputWorkspace> Arrange { get; init; } = _ => { };

    /// <summary>Where the build is run from, relative to the workspace.</summary>
    public string WorkingDirectory { get; init; } = ".";

    public int ExitCode { get; init; } = ExitCodes.Usage;

    /// <summary>Every one must appear in the output.</summary>
    public string[] Says { get; init; } = [];

    /// <summary>None may appear anywhere: output, log files.</summary>
    public string[] Never { get; init; } = [];

    /// <summary>The build the case runs; null: the catalogue's own (every component whose parameters it covers, no tool but git).</summary>
    public Func<SlipwayBuild>? Build { get; init; }

    /// <summary>The case with each placeholder (<c>{registry}</c>, ...) replaced in its arguments, environment and words.</summary>
    public BadInput Expand(Func<string, string> expand) => this with
    {
        Arguments = [.. Arguments.Select(expand)],
        Environment = Environment.ToDictionary(pair => pair.Key, pair => expand(pair.Value)),
        Says = [.. Says.Select(expand)],
        Never = [.. Never.Select(expand)],
    };

    public override string ToString() => Name;
}

/// <summary>A throwaway repository for one bad input: .nuke/ and a first commit with a fixed date.</summary>
public sealed class BadInputWorkspace : IDisposable
{
    public BadInputWorkspace()
    {
        Directory.CreateDirectory(Path.Combine(Root, ".nuke"));
        File.WriteAllText(Path.Combine(Root, "README.md"), "A repository with a bad input.\n");
        Git("init", "-q", "-b", "main");
        Commit("first");
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("slipway-bad-input-").FullName;

    public void WriteFile(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>A copy of the chart this repository ships, committed.</summary>
    public void AddShippedChart()
    {
        Repository.CopyDirectory(Repository.ShippedChart, Path.Combine(Root, "charts", "beacon"));
        Commit("chart");
    }

    public void Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "--allow-empty", "-m", message);
    }

    /// <summary>Runs git in the root with a fixed identity and date.</summary>
    public string Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in new[] { ("GIT_AUTHOR_NAME", "Test"), ("GIT_AUTHOR_EMAIL", "test@example.invalid"), ("GIT_COMMITTER_NAME", "Test"), ("GIT_COMMITTER_EMAIL", "test@example.invalid"), ("GIT_AUTHOR_DATE", "2026-11-20T10:00:00Z"), ("GIT_COMMITTER_DATE", "2026-11-20T10:00:00Z") })
            start.Environment[name] = value;
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEnd() + git.StandardError.ReadToEnd();
        git.WaitForExit();
        return git.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {output}");
    }

    /// <summary>Every file outside git's own folders and the build's log folders (.nuke/temp), relative: what a run must leave as it found it.</summary>
    public IReadOnlyList<string> Files() =>
        [.. Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Root, path))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Contains(".git") && !path.Contains(Path.Combine(".nuke", "temp"), StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
