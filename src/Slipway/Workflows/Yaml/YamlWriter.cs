using System.Text;
using System.Text.RegularExpressions;

namespace Slipway.Workflows.Yaml;

/// <summary>
/// Writes a <see cref="YamlNode"/> tree as block YAML with LF line endings, two-space indentation and keys in the order
/// they were added, so the same tree always gives the same bytes. Strings are written plain only where YAML 1.1 and 1.2
/// both read them back as that same string; otherwise single-quoted (double-quoted with escapes for control characters),
/// and multi-line strings as literal blocks.
/// </summary>
internal static partial class YamlWriter
{
    private const string Indentation = "  ";

    public static string Write(YamlMapping document, IEnumerable<string> headerComments)
    {
        var output = new StringBuilder();
        foreach (var comment in headerComments)
            output.Append(Comment(comment, 0)).Append('\n');
        foreach (var entry in document.Entries)
        {
            // A blank line before each top-level key: the sections of a workflow stand apart.
            if (output.Length > 0)
                output.Append('\n');
            WriteEntry(output, entry, 0, prefix: null);
        }

        return output.ToString();
    }

    private static void WriteEntry(StringBuilder output, YamlEntry entry, int level, string? prefix)
    {
        foreach (var comment in entry.LeadingComments)
            output.Append(Comment(comment, level)).Append('\n');
        var lead = prefix ?? Indent(level);
        var key = Key(entry.Key);
        switch (entry.Value)
        {
            case YamlNull nothing:
                Line(output, $"{lead}{key}:", nothing.InlineComment);
                break;
            case YamlScalar scalar when scalar.Text.Contains('\n', StringComparison.Ordinal):
                WriteLiteral(output, $"{lead}{key}: ", scalar, level + 1);
                break;
            case YamlScalar scalar:
                Line(output, $"{lead}{key}: {Scalar(scalar, flow: false)}", scalar.InlineComment);
                break;
            case YamlMapping { Entries.Count: 0 } empty:
                Line(output, $"{lead}{key}: {{}}", empty.InlineComment);
                break;
            case YamlMapping mapping:
                Line(output, $"{lead}{key}:", mapping.InlineComment);
                foreach (var child in mapping.Entries)
                    WriteEntry(output, child, level + 1, prefix: null);
                break;
            case YamlSequence sequence when FlowSequence(sequence) is { } flow:
                Line(output, $"{lead}{key}: {flow}", sequence.InlineComment);
                break;
            case YamlSequence sequence:
                Line(output, $"{lead}{key}:", sequence.InlineComment);
                WriteItems(output, sequence, level + 1);
                break;
            default:
                throw new InvalidOperationException($"Cannot write a {entry.Value.GetType().Name} as YAML.");
        }
    }

    private static void WriteItems(StringBuilder output, YamlSequence sequence, int level)
    {
        foreach (var item in sequence.Items)
        {
            var dash = Indent(level) + "- ";
            switch (item)
            {
                case YamlMapping { Entries.Count: > 0 } mapping:
                    // The first key shares the dash's line; its comments go above the dash.
                    var head = mapping.Entries[0];
                    foreach (var comment in head.LeadingComments)
                        output.Append(Comment(comment, level)).Append('\n');
                    WriteEntry(output, head with { LeadingComments = [] }, level + 1, prefix: dash);
                    foreach (var entry in mapping.Entries.Skip(1))
                        WriteEntry(output, entry, level + 1, prefix: null);
                    break;
                case YamlScalar scalar when scalar.Text.Contains('\n', StringComparison.Ordinal):
                    WriteLiteral(output, dash, scalar, level + 1);
                    break;
                case YamlScalar scalar:
                    Line(output, dash + Scalar(scalar, flow: false), scalar.InlineComment);
                    break;
                default:
                    throw new InvalidOperationException($"A sequence item must be a scalar or a non-empty mapping, not a {item.GetType().Name}.");
            }
        }
    }

    /// <summary>A literal block (<c>|</c>), with the chomping indicator that keeps the text's trailing newlines exactly.</summary>
    private static void WriteLiteral(StringBuilder output, string lead, YamlScalar scalar, int contentLevel)
    {
        var text = scalar.Text;
        var body = text.TrimEnd('\n');
        var trailing = text.Length - body.Length;
        var chomping = trailing switch { 0 => "-", 1 => string.Empty, _ => "+" };
        // A first line that starts with a space would be read as more indentation: say the indentation explicitly.
        var indentation = body.StartsWith(' ') ? Indentation.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
        Line(output, $"{lead}|{indentation}{chomping}", scalar.InlineComment);
        foreach (var line in body.Split('\n').Concat(Enumerable.Repeat(string.Empty, Math.Max(0, trailing - 1))))
            output.Append(line.Length == 0 ? string.Empty : Indent(contentLevel) + line).Append('\n');
    }

    private static string? FlowSequence(YamlSequence sequence)
    {
        if (sequence.Items.Count == 0)
            return "[]";
        if (sequence.Items.Any(item => item is not YamlScalar { InlineComment: null } scalar || scalar.Text.Contains('\n', StringComparison.Ordinal)))
            return null;
        return "[" + string.Join(", ", sequence.Items.Cast<YamlScalar>().Select(item => Scalar(item, flow: true))) + "]";
    }

    private static string Scalar(YamlScalar scalar, bool flow)
    {
        if (scalar.IsVerbatim || IsPlainSafe(scalar.Text, flow))
            return scalar.Text;
        if (scalar.Text.Any(char.IsControl))
            return DoubleQuoted(scalar.Text);
        return "'" + scalar.Text.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    private static string Key(string key) =>
        PlainKey().IsMatch(key) ? key : throw new InvalidOperationException($"'{key}' is not a valid key here: use letters, digits, '_', '-' and '.'.");

    /// <summary>Plain only when no YAML reader could take the text for anything else: no indicator, no number, boolean or null.</summary>
    internal static bool IsPlainSafe(string text, bool flow)
    {
        if (text.Length == 0 || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]) || text.Any(char.IsControl))
            return false;
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(text[0], StringComparison.Ordinal))
            return false;
        if (text.Contains(": ", StringComparison.Ordinal) || text.Contains(" #", StringComparison.Ordinal) || text.EndsWith(':'))
            return false;
        if (flow && text.IndexOfAny([',', '[', ']', '{', '}']) >= 0)
            return false;
        return !Special().IsMatch(text) && !NumberLike().IsMatch(text);
    }

    private static string DoubleQuoted(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\t' => "\\t",
                '\r' => "\\r",
                '\n' => "\\n",
                _ when char.IsControl(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    private static void Line(StringBuilder output, string text, string? comment) =>
        output.Append(text).Append(comment is null ? string.Empty : " # " + comment).Append('\n');

    private static string Comment(string text, int level) =>
        text.Contains('\n', StringComparison.Ordinal) ? throw new InvalidOperationException($"A comment is one line; split it: {text}")
        : text.Length == 0 ? Indent(level) + "#"
        : Indent(level) + "# " + text;

    private static string Indent(int level) => string.Concat(Enumerable.Repeat(Indentation, level));

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]*$")]
    private static partial Regex PlainKey();

    // YAML 1.1 reads all of these as booleans or null; 1.2 some of them.
    [GeneratedRegex("^(~|null|true|false|yes|no|on|off|y|n|<<|=)$", RegexOptions.IgnoreCase)]
    private static partial Regex Special();

    // Anything that starts like a number (including 1.1's sexagesimal 1:30 and .inf/.nan) is quoted.
    [GeneratedRegex(@"^([-+]?\.?[0-9]|[-+]?\.(inf|nan)$|0[box])", RegexOptions.IgnoreCase)]
    private static partial Regex NumberLike();
}
