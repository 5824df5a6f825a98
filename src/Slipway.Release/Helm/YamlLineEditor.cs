using System.Text.RegularExpressions;

namespace Slipway.Release.Helm;

/// <summary>
/// Sets scalar values in block-style YAML by editing lines, so the author's comments, key order and layout survive.
/// A key is addressed by a dotted path of block mappings (<c>image.digest</c>); anything it cannot edit safely (flow
/// mappings, block scalars, a key that is itself a mapping, duplicate keys) is refused with a message naming the path.
/// </summary>
internal sealed partial class YamlLineEditor
{
    private readonly List<string> _lines;
    private readonly string _newLine;
    private readonly string _fileName;

    public YamlLineEditor(string text, string fileName)
    {
        _fileName = fileName;
        _newLine = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        _lines = [.. text.Split(_newLine)];
    }

    public override string ToString() => string.Join(_newLine, _lines);

    public bool Contains(string path) => TryFind(path.Split('.'), out _, out _);

    /// <summary>Replaces the value of an existing key with <paramref name="value"/>, written as a double-quoted scalar when <paramref name="quote"/> is set.</summary>
    public void Set(string path, string value, bool quote)
    {
        var segments = path.Split('.');
        if (!TryFind(segments, out var index, out var error))
            throw new ChartStagingException($"{_fileName}: {error}");

        var match = KeyLine().Match(_lines[index]);
        var rest = match.Groups["rest"].Value;
        var comment = TrailingComment(rest);
        if (comment is null)
            throw new ChartStagingException($"{_fileName}: '{path}' has a value this editor cannot replace safely (a block scalar, flow collection or anchor): {_lines[index].Trim()}");
        if (ValueOf(rest, comment).Length == 0 && HasChildren(index, match.Groups["indent"].Value.Length))
            throw new ChartStagingException($"{_fileName}: '{path}' is a mapping or list, not a scalar.");

        var written = quote ? $"\"{value}\"" : value;
        _lines[index] = $"{match.Groups["indent"].Value}{match.Groups["key"].Value}: {written}{(comment.Length == 0 ? string.Empty : " " + comment)}";
    }

    /// <summary>Inserts a new top-level <c>key: value</c> line right after the top-level key <paramref name="after"/>.</summary>
    public void InsertTopLevelAfter(string after, string key, string value, bool quote)
    {
        if (!TryFind([after], out var index, out var error))
            throw new ChartStagingException($"{_fileName}: {error}");
        _lines.Insert(index + 1, $"{key}: {(quote ? $"\"{value}\"" : value)}");
    }

    private bool TryFind(string[] segments, out int index, out string error)
    {
        var start = 0;
        var end = _lines.Count;
        var indent = 0;
        index = -1;
        for (var depth = 0; depth < segments.Length; depth++)
        {
            var path = string.Join('.', segments[..(depth + 1)]);
            var found = -1;
            for (var i = start; i < end; i++)
            {
                var match = KeyLine().Match(_lines[i]);
                if (!match.Success || match.Groups["indent"].Value.Length != indent || Unquote(match.Groups["key"].Value) != segments[depth])
                    continue;
                if (found >= 0)
                {
                    error = $"'{path}' appears more than once (lines {found + 1} and {i + 1}).";
                    return false;
                }

                found = i;
            }

            if (found < 0)
            {
                error = depth == 0
                    ? $"no top-level key '{segments[0]}' found."
                    : $"no key '{path}' found (only block-style mappings are edited; '{string.Join('.', segments[..depth])}' must be written as an indented block).";
                return false;
            }

            index = found;
            if (depth == segments.Length - 1)
                break;

            // The block of this key: the following lines indented deeper, up to the next line at or above its indentation.
            start = found + 1;
            end = start;
            var childIndent = -1;
            while (end < _lines.Count)
            {
                var line = _lines[end];
                if (IsBlankOrComment(line))
                {
                    end++;
                    continue;
                }

                var lineIndent = line.Length - line.TrimStart(' ').Length;
                if (lineIndent <= indent)
                    break;
                if (childIndent < 0)
                    childIndent = lineIndent;
                end++;
            }

            if (childIndent < 0)
            {
                error = $"'{path}' is not a block mapping, so it has no '{segments[depth + 1]}'.";
                return false;
            }

            indent = childIndent;
        }

        error = string.Empty;
        return true;
    }

    private bool HasChildren(int index, int indent)
    {
        for (var i = index + 1; i < _lines.Count; i++)
        {
            if (IsBlankOrComment(_lines[i]))
                continue;
            var line = _lines[i];
            var lineIndent = line.Length - line.TrimStart(' ').Length;
            return lineIndent > indent || (lineIndent == indent && line.TrimStart().StartsWith("- ", StringComparison.Ordinal));
        }

        return false;
    }

    /// <summary>The comment after a plain or quoted scalar ("" if none), or null for a value this editor must not touch.</summary>
    private static string? TrailingComment(string rest)
    {
        var text = rest.Trim();
        if (text.Length == 0)
            return string.Empty;
        if (text[0] is '|' or '>' or '{' or '[' or '&' or '*' or '!')
            return null;
        int after;
        if (text[0] is '"' or '\'')
        {
            var quote = text[0];
            var i = 1;
            while (i < text.Length)
            {
                if (quote == '"' && text[i] == '\\')
                {
                    i += 2;
                    continue;
                }

                if (text[i] == quote)
                {
                    if (quote == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
                    {
                        i += 2;
                        continue;
                    }

                    break;
                }

                i++;
            }

            if (i >= text.Length)
                return null;
            after = i + 1;
        }
        else
        {
            var hash = text.IndexOf(" #", StringComparison.Ordinal);
            after = hash < 0 ? text.Length : hash;
        }

        var tail = text[after..].Trim();
        return tail.Length == 0 ? string.Empty : tail.StartsWith('#') ? tail : null;
    }

    private static string ValueOf(string rest, string comment) =>
        (comment.Length == 0 ? rest : rest[..rest.LastIndexOf(comment, StringComparison.Ordinal)]).Trim();

    private static bool IsBlankOrComment(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.Length == 0 || trimmed.StartsWith('#') || trimmed == "---";
    }

    private static string Unquote(string key) =>
        key.Length >= 2 && key[0] is '"' or '\'' && key[^1] == key[0] ? key[1..^1] : key;

    // indent, key (plain or quoted, no ':' inside a plain key), then ':' followed by a space or the end of the line.
    [GeneratedRegex(@"^(?<indent> *)(?<key>""[^""]+""|'[^']+'|[^\s#:\-""'][^:#]*?)\s*:(?:\s(?<rest>.*))?$")]
    private static partial Regex KeyLine();
}
