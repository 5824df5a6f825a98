namespace Slipway.Tool.Setup;

public enum FileAction
{
    Written,
    Unchanged,

    /// <summary>It exists and differs from what setup writes: left as it is.</summary>
    Kept,

    /// <summary>It differed and --force replaced it.</summary>
    Replaced,

    /// <summary>Lines were added to it (.gitignore).</summary>
    Extended,
}

/// <summary>What happened to one file, in words for the output.</summary>
public sealed record FileChange(string Path, FileAction Action, string Note)
{
    public override string ToString() => $"{Action.ToString().ToLowerInvariant(),-9} {Path}{(Note.Length == 0 ? string.Empty : $": {Note}")}";
}

/// <summary>
/// Writes setup's files into the root and never overwrites one it did not write without saying so: a file that is not
/// there is written; one with the same content (line endings aside) is unchanged; one that differs is kept (and said so)
/// unless it is setup's and --force replaces it, which is said too.
/// </summary>
public sealed class SetupWriter(string root)
{
    public IReadOnlyList<FileChange> Apply(IReadOnlyList<SetupFile> files, bool force)
    {
        var changes = files.Select(file => Apply(file, force)).ToList();
        changes.Add(IgnoreBuildOutput());
        return changes;
    }

    private FileChange Apply(SetupFile file, bool force)
    {
        var path = Full(file.Path);
        if (!File.Exists(path))
        {
            Write(path, file);
            return new FileChange(file.Path, FileAction.Written, string.Empty);
        }

        if (Normalise(File.ReadAllText(path)) == Normalise(file.Content))
            return new FileChange(file.Path, FileAction.Unchanged, MakeExecutable(path, file));

        if (file.Ownership == FileOwnership.IfAbsent)
            return new FileChange(file.Path, FileAction.Kept, "exists, and setup writes it only when absent");
        if (!force)
            return new FileChange(file.Path, FileAction.Kept, "differs from what setup writes (edited since, or not written by setup); --force replaces it");

        Write(path, file);
        return new FileChange(file.Path, FileAction.Replaced, "it differed from what setup writes, and --force was given");
    }

    /// <summary>Adds what the build writes (<see cref="SetupFiles.IgnoredPaths"/>) to .gitignore, keeping every line there.</summary>
    private FileChange IgnoreBuildOutput()
    {
        var path = Full(".gitignore");
        var existing = File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        var present = existing.Split('\n').Select(line => line.Trim()).ToHashSet(StringComparer.Ordinal);
        var missing = SetupFiles.IgnoredPaths.Where(entry => !present.Contains(entry) && !present.Contains("/" + entry)).ToList();
        if (missing.Count == 0)
            return new FileChange(".gitignore", FileAction.Unchanged, string.Empty);

        var separator = existing.Length == 0 || existing.EndsWith('\n') ? string.Empty : "\n";
        File.WriteAllText(path, existing + separator + string.Concat(missing.Select(entry => entry + "\n")));
        return new FileChange(".gitignore", existing.Length == 0 ? FileAction.Written : FileAction.Extended, $"ignores {string.Join(" and ", missing)} (what the build writes)");
    }

    private static void Write(string path, SetupFile file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, file.Content);
        MakeExecutable(path, file);
    }

    /// <returns>What was done, for the output; empty when nothing was.</returns>
    private static string MakeExecutable(string path, SetupFile file)
    {
        const UnixFileMode Execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (!file.Executable || OperatingSystem.IsWindows())
            return string.Empty;
        var mode = File.GetUnixFileMode(path);
        if ((mode & Execute) == Execute)
            return string.Empty;
        File.SetUnixFileMode(path, mode | Execute);
        return "made executable";
    }

    private string Full(string relative) => Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));

    private static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
