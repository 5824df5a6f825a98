using DiffPlex.Renderer;

namespace Slipway.Workflows;

/// <summary>A workflow file as the build generates it.</summary>
public sealed record RenderedWorkflow(string FileName, string Text);

public enum WorkflowDriftKind
{
    /// <summary>Committed, but not what the build generates (edited by hand, or the description changed).</summary>
    Edited,

    /// <summary>Generated, but not committed.</summary>
    Missing,

    /// <summary>Committed with the generated header, but the build no longer generates it.</summary>
    Orphan,
}

/// <summary>One committed workflow file that differs from the build: which, how, and the unified diff from committed to generated.</summary>
public sealed record WorkflowDrift(string Path, WorkflowDriftKind Kind, string Diff)
{
    public string Summary => Kind switch
    {
        WorkflowDriftKind.Edited => $"{Path} differs from what the build generates",
        WorkflowDriftKind.Missing => $"{Path} is missing: the build generates it",
        _ => $"{Path} is an orphan: it carries the generated header, but the build no longer generates it",
    };
}

/// <summary>
/// The generated files against the committed ones in <c>.github/workflows</c>: compared with line endings normalised
/// (a checkout with CRLF is not drift), written only by <see cref="Write"/>. Files without the generated header are the
/// repository's own and are left alone.
/// </summary>
public static class WorkflowFiles
{
    public const string FixCommand = "./build.sh GenerateWorkflows";

    /// <param name="directory">The workflows folder.</param>
    /// <param name="displayDirectory">How messages name it, e.g. <c>.github/workflows</c>.</param>
    public static IReadOnlyList<WorkflowDrift> Compare(string directory, string displayDirectory, IReadOnlyList<RenderedWorkflow> generated)
    {
        var drifts = new List<WorkflowDrift>();
        foreach (var workflow in generated)
        {
            var path = System.IO.Path.Combine(directory, workflow.FileName);
            var display = $"{displayDirectory}/{workflow.FileName}";
            if (!File.Exists(path))
                drifts.Add(new WorkflowDrift(display, WorkflowDriftKind.Missing, UnifiedDiff(string.Empty, workflow.Text, "/dev/null", $"{display} (generated)")));
            else if (Normalise(File.ReadAllText(path)) is var committed && committed != workflow.Text)
                drifts.Add(new WorkflowDrift(display, WorkflowDriftKind.Edited, UnifiedDiff(committed, workflow.Text, $"{display} (committed)", $"{display} (generated)")));
        }

        foreach (var orphan in Orphans(directory, generated))
        {
            var display = $"{displayDirectory}/{System.IO.Path.GetFileName(orphan)}";
            drifts.Add(new WorkflowDrift(display, WorkflowDriftKind.Orphan, UnifiedDiff(Normalise(File.ReadAllText(orphan)), string.Empty, $"{display} (committed)", "/dev/null")));
        }

        return drifts;
    }

    /// <summary>Writes what changed and deletes orphans; returns one line per file touched.</summary>
    /// <exception cref="InvalidOperationException">A hand-written file (no generated header) has a generated file's name; nothing is written.</exception>
    public static IReadOnlyList<string> Write(string directory, string displayDirectory, IReadOnlyList<RenderedWorkflow> generated)
    {
        var handWritten = generated
            .Select(workflow => workflow.FileName)
            .Where(name => System.IO.Path.Combine(directory, name) is var path && File.Exists(path) && !IsGenerated(Normalise(File.ReadAllText(path))))
            .ToList();
        if (handWritten.Count > 0)
        {
            throw new InvalidOperationException(
                $"{string.Join(", ", handWritten.Select(name => $"{displayDirectory}/{name}"))} {(handWritten.Count == 1 ? "is" : "are")} hand-written (no generated header) " +
                $"and the build generates a file of that name: nothing was written. Rename or delete {(handWritten.Count == 1 ? "it" : "them")}, then run {FixCommand}.");
        }

        Directory.CreateDirectory(directory);
        var changes = new List<string>();
        foreach (var orphan in Orphans(directory, generated))
        {
            File.Delete(orphan);
            changes.Add($"removed {displayDirectory}/{System.IO.Path.GetFileName(orphan)} (no longer generated)");
        }

        foreach (var workflow in generated)
        {
            var path = System.IO.Path.Combine(directory, workflow.FileName);
            var existing = File.Exists(path) ? File.ReadAllText(path) : null;
            if (existing == workflow.Text)
            {
                changes.Add($"{displayDirectory}/{workflow.FileName} is up to date");
                continue;
            }

            File.WriteAllText(path, workflow.Text);
            changes.Add($"{(existing is null ? "wrote" : "updated")} {displayDirectory}/{workflow.FileName}");
        }

        return changes;
    }

    private static bool IsGenerated(string text) => text.StartsWith(WorkflowRenderer.GeneratedMarker, StringComparison.Ordinal);

    private static IEnumerable<string> Orphans(string directory, IReadOnlyList<RenderedWorkflow> generated)
    {
        if (!Directory.Exists(directory))
            return [];
        var names = generated.Select(workflow => workflow.FileName).ToHashSet(StringComparer.Ordinal);
        return Directory.EnumerateFiles(directory)
            .Where(path => path.EndsWith(".yml", StringComparison.Ordinal) || path.EndsWith(".yaml", StringComparison.Ordinal))
            .Where(path => !names.Contains(System.IO.Path.GetFileName(path)) && IsGenerated(File.ReadAllText(path)))
            .Order(StringComparer.Ordinal);
    }

    private static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static string UnifiedDiff(string committed, string generated, string committedName, string generatedName)
    {
        // DiffPlex counts the empty string after a final newline as a line of its own; both sides lose it alike.
        var diff = UnidiffRenderer.GenerateUnidiff(committed.TrimEnd('\n'), generated.TrimEnd('\n'), committedName, generatedName, ignoreWhitespace: false, ignoreCase: false, contextLines: 3);
        return diff.Split('\n').Any(line => line.Length > 0 && line[0] is '+' or '-' && !line.StartsWith("+++", StringComparison.Ordinal) && !line.StartsWith("---", StringComparison.Ordinal))
            ? diff.TrimEnd('\n')
            : $"--- {committedName}\n+++ {generatedName}\n(only the newlines at the end of the file differ)";
    }
}
