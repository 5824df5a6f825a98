using System.Text;
using System.Text.RegularExpressions;

namespace Slipway.Release.Helm.Coverage;

/// <summary>How a marker is written so that the rendered YAML stays valid.</summary>
public enum MarkerStyle
{
    /// <summary><c>SLWCOV7Z</c> glued to the body's first text: the body starts on the line of its opening action.</summary>
    Inline,

    /// <summary>A YAML comment line <c>\n&lt;indent&gt;#SLWCOV7Z</c> before the body's first line: the body starts on a new line.</summary>
    Line,
}

/// <summary>A branch, its marker id and where and how the marker goes.</summary>
public sealed record BranchMarker(int Id, TemplateBranch Branch, MarkerStyle Style, int Offset, string Indent, string LineIndent)
{
    /// <summary>The same marker in the other form (a comment line at the opening action's indentation, or the bare token).</summary>
    public BranchMarker Alternate => Style == MarkerStyle.Inline
        ? this with { Style = MarkerStyle.Line, Indent = LineIndent }
        : this with { Style = MarkerStyle.Inline, Indent = string.Empty };

    public string Token => ChartInstrumentation.Token(Id);

    /// <summary>The text the marker action emits.</summary>
    public string Emitted => Style == MarkerStyle.Inline ? Token : $"\n{Indent}#{Token}";
}

/// <summary>
/// Instruments a chart's templates for branch coverage. At the start of every branch body a marker is inserted as a
/// template action (<c>{{ "SLWCOV7Z" }}</c>): an action, not text, so the trim markers around it (<c>-}}</c>,
/// <c>{{-</c>) keep trimming exactly the whitespace they trimmed before. helm template parses every document as YAML
/// (to sort objects by kind), so the marker must keep the YAML valid:
/// <list type="bullet">
/// <item>a body whose first output is on a new line (<c>{{- if x }}\n  key: v</c>, or <c>{{- with x }}{{- toYaml . | nindent 4 }}</c>)
/// gets a comment line at that line's indentation (<c>\n  #SLWCOV7Z</c>); a comment is valid in block context and plain
/// content inside a block scalar;</item>
/// <item>any other body gets the bare token glued to its first output (<c>value: SLWCOV7Za</c>, <c>name: SLWCOV7Zrelease-app</c>).</item>
/// </list>
/// <see cref="Strip"/> removes both forms; whatever a marker's text went through (quote, sha256sum, trunc, b64enc), the
/// byte comparison with the uninstrumented render tells.
/// </summary>
public sealed partial class ChartInstrumentation
{
    public const string NotesTemplate = "NOTES.txt";

    private const string NotesDefine = "slwcov.notes";
    private const string NotesPartial = "_slwcov-notes.tpl";
    private const string NotesDocument = "slwcov-notes.yaml";

    private ChartInstrumentation(string chartDirectory, IReadOnlyList<TemplateStructure> templates, IReadOnlyList<BranchMarker> markers)
    {
        ChartDirectory = chartDirectory;
        Templates = templates;
        Markers = markers;
    }

    public string ChartDirectory { get; }

    /// <summary>Every template and helper under <c>templates/</c>, by chart-relative path (<c>templates/_helpers.tpl</c>).</summary>
    public IReadOnlyList<TemplateStructure> Templates { get; }

    public IReadOnlyList<BranchMarker> Markers { get; }

    /// <summary>The source path helm prints for the document that carries the rendered NOTES.txt in an instrumented or baseline copy.</summary>
    public static string NotesSourceSuffix => $"/templates/{NotesDocument}";

    public static string Token(int id) => $"SLWCOV{id}Z";

    /// <summary>Reads and tokenizes every file under the chart's <c>templates/</c> and places a marker in every branch.</summary>
    public static ChartInstrumentation Plan(string chartDirectory)
    {
        var templatesDirectory = Path.Combine(chartDirectory, "templates");
        var templates = new List<TemplateStructure>();
        if (Directory.Exists(templatesDirectory))
        {
            foreach (var path in Directory.EnumerateFiles(templatesDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(chartDirectory, path).Replace('\\', '/');
                templates.Add(TemplateStructure.Parse(relative, File.ReadAllText(path)));
            }
        }

        var markers = new List<BranchMarker>();
        foreach (var template in templates)
        {
            foreach (var branch in template.Branches)
                markers.Add(Place(markers.Count + 1, template, branch));
        }

        return new ChartInstrumentation(chartDirectory, templates, markers);
    }

    /// <summary>
    /// Writes a copy of the chart into <paramref name="destination"/> with the markers of <paramref name="enabled"/>
    /// (all when null). NOTES.txt, which helm template does not print, is rendered into a document of its own
    /// (<see cref="NotesSourceSuffix"/>) in the instrumented copy and in the baseline (<paramref name="enabled"/> empty) alike.
    /// Markers in <paramref name="alternate"/> are written in their <see cref="BranchMarker.Alternate"/> form.
    /// </summary>
    public void WriteCopy(string destination, IReadOnlySet<int>? enabled, IReadOnlySet<int>? alternate = null)
    {
        if (!Directory.Exists(destination))
            CopyDirectory(ChartDirectory, destination);
        var byFile = Markers
            .Where(marker => enabled is null || enabled.Contains(marker.Id) || alternate?.Contains(marker.Id) == true)
            .Select(marker => alternate?.Contains(marker.Id) == true ? marker.Alternate : marker)
            .ToLookup(marker => marker.Branch.File);
        foreach (var template in Templates)
        {
            var text = Insert(template.Text, byFile[template.File]);
            if (IsRootNotes(template.File))
            {
                File.Delete(Path.Combine(destination, template.File));
                File.WriteAllText(Path.Combine(destination, "templates", NotesPartial), $"{{{{- define \"{NotesDefine}\" }}}}{text}{{{{ end }}}}");
                File.WriteAllText(Path.Combine(destination, "templates", NotesDocument), NotesWrapper);
            }
            else
            {
                File.WriteAllText(Path.Combine(destination, template.File), text);
            }
        }
    }

    /// <summary>Removes every marker from rendered output and returns the ids it saw.</summary>
    public static (string Stripped, IReadOnlySet<int> Seen) Strip(string rendered)
    {
        var seen = new HashSet<int>();
        string Record(Match match)
        {
            seen.Add(int.Parse(match.Groups["id"].ValueSpan, System.Globalization.CultureInfo.InvariantCulture));
            return string.Empty;
        }

        var withoutLines = LineMarker().Replace(rendered, Record);
        return (InlineMarker().Replace(withoutLines, Record), seen);
    }

    private static bool IsRootNotes(string file) => file == $"templates/{NotesTemplate}";

    // A block scalar with an explicit indentation indicator takes any text, whatever its first line's indentation.
    private const string NotesWrapper =
        "apiVersion: slwcov.invalid/v1\nkind: RenderedNotes\nnotes: |2\n{{ include \"" + NotesDefine + "\" . | indent 2 }}\n";

    private static string Insert(string text, IEnumerable<BranchMarker> markers)
    {
        var builder = new StringBuilder(text.Length + 64);
        var copied = 0;
        foreach (var marker in markers.OrderBy(marker => marker.Offset))
        {
            builder.Append(text, copied, marker.Offset - copied);
            builder.Append("{{ \"").Append(marker.Emitted.Replace("\n", "\\n", StringComparison.Ordinal)).Append("\" }}");
            copied = marker.Offset;
        }

        builder.Append(text, copied, text.Length - copied);
        return builder.ToString();
    }

    /// <summary>Where the marker goes and which form keeps the YAML around it valid (see the class summary).</summary>
    private static BranchMarker Place(int id, TemplateStructure template, TemplateBranch branch)
    {
        var text = template.Text;
        var opening = template.Actions[branch.OpeningAction];
        var next = template.Actions[branch.OpeningAction + 1];
        var segment = text[branch.BodyStart..next.Start];
        var lineStart = text.LastIndexOf('\n', Math.Max(0, opening.Start - 1)) + 1;
        var lineIndent = string.Concat(text[lineStart..opening.Start].TakeWhile(character => character is ' ' or '\t'));
        var leading = segment.Length - segment.TrimStart().Length;

        // After "-}}" helm drops the leading whitespace: the marker goes after it, so the trim still removes it all.
        var offset = opening.TrimRight ? branch.BodyStart + leading : branch.BodyStart;
        var effective = opening.TrimRight ? segment[leading..] : segment;

        if (effective.Trim().Length > 0)
        {
            var blank = effective[..(effective.Length - effective.TrimStart().Length)];
            var newline = blank.LastIndexOf('\n');
            return newline >= 0
                ? new BranchMarker(id, branch, MarkerStyle.Line, offset, blank[(newline + 1)..], lineIndent)
                : new BranchMarker(id, branch, MarkerStyle.Inline, offset, string.Empty, lineIndent);
        }

        // Only whitespace before the next action: its output comes first. nindent (or an emitted newline) starts a new line.
        var indent = segment[(segment.LastIndexOf('\n') + 1)..];
        var emitsNewline = !opening.TrimRight && !next.TrimLeft && segment.Contains('\n', StringComparison.Ordinal);
        var isClosing = branch.OpeningAction + 1 == branch.ClosingAction;
        if (!isClosing && (next.Text.Contains("nindent", StringComparison.Ordinal) || emitsNewline))
            return new BranchMarker(id, branch, MarkerStyle.Line, offset, indent.Trim('\n', '\r'), lineIndent);
        return new BranchMarker(id, branch, MarkerStyle.Inline, offset, string.Empty, lineIndent);
    }

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)), overwrite: true);
    }

    [GeneratedRegex(@"\n[ \t]*#SLWCOV(?<id>\d+)Z")]
    private static partial Regex LineMarker();

    [GeneratedRegex(@"SLWCOV(?<id>\d+)Z")]
    private static partial Regex InlineMarker();
}
