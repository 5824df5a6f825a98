using Slipway.Processes;

namespace Slipway.Release.Containers;

/// <summary><see cref="ISourceTree"/> with the git command line: <c>rev-parse</c>, <c>ls-tree</c> and <c>status</c>.</summary>
public sealed class GitSourceTree(IProcessRunner runner) : ISourceTree
{
    public async Task<string?> TopLevelAsync(string directory, CancellationToken cancellationToken = default)
    {
        var result = await runner.RunAsync(Git(directory, "rev-parse", "--show-toplevel"), cancellationToken);
        return result.Succeeded ? result.StandardOutput.Trim() : null;
    }

    public async Task<SourceSnapshot> SnapshotAsync(string topLevel, IReadOnlyList<string> paths, CancellationToken cancellationToken = default)
    {
        var nested = paths.Where(path => path != ".").ToList();
        var root = paths.Contains(".") ? GitAsync(topLevel, cancellationToken, "rev-parse", "HEAD^{tree}") : Task.FromResult(string.Empty);
        var tree = GitAsync(topLevel, cancellationToken, ["ls-tree", "-z", "HEAD", "--", .. nested]);
        var status = GitAsync(topLevel, cancellationToken, ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", .. paths]);

        var objects = new Dictionary<string, string>(StringComparer.Ordinal);
        // <mode> SP <type> SP <object> TAB <path>, NUL-terminated.
        foreach (var line in Records(await tree))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            objects[line[(tab + 1)..]] = line[..tab].Split(' ')[2];
        }

        if ((await root).Trim() is { Length: > 0 } rootTree)
            objects["."] = rootTree;

        // XY SP <path>, NUL-terminated; a rename or copy is followed by its source path as one more field.
        var changed = new List<string>();
        var fields = Records(await status);
        for (var i = 0; i < fields.Length; i++)
        {
            changed.Add(fields[i][3..]);
            if (fields[i][0] is 'R' or 'C')
                i++;
        }

        return new SourceSnapshot(objects, changed);
    }

    // The runner hands output back line by line, so the NUL-separated records end with a newline.
    private static string[] Records(string output) => output.TrimEnd('\n').Split('\0', StringSplitOptions.RemoveEmptyEntries);

    private static ToolCommand Git(string directory, params string[] arguments) =>
        new("git", arguments)
        {
            WorkingDirectory = directory,
            StreamOutput = false,
            ThrowOnFailure = false,
            Environment = new Dictionary<string, string?> { ["LC_ALL"] = "C" },
        };

    private async Task<string> GitAsync(string directory, CancellationToken cancellationToken, params string[] arguments)
    {
        var result = await runner.RunAsync(Git(directory, arguments), cancellationToken);
        return result.Succeeded
            ? result.StandardOutput
            : throw new InvalidOperationException($"'git {string.Join(' ', arguments)}' failed in '{directory}': {result.StandardError.Trim()}");
    }
}
