namespace Slipway.Release.Helm.Coverage;

/// <summary>Which body of a control structure a branch is.</summary>
public enum BranchKind
{
    If,
    ElseIf,
    Else,
    With,
    ElseWith,
    WithElse,
    Range,
    RangeElse,
}

/// <summary>
/// One <c>{{ ... }}</c> action of a Go template: where it starts and ends in the text (the end is just past <c>}}</c>),
/// the line it starts on, its inner text without delimiters or trim markers, and whether it trims the text around it.
/// </summary>
public sealed record TemplateAction(int Start, int End, int Line, string Text, bool TrimLeft, bool TrimRight, bool IsComment)
{
    /// <summary>The first word of the action (<c>if</c>, <c>else</c>, <c>end</c>, <c>include</c>...), empty for comments and pipelines that start otherwise.</summary>
    public string Keyword
    {
        get
        {
            if (IsComment)
                return string.Empty;
            var length = 0;
            while (length < Text.Length && (char.IsAsciiLetter(Text[length]) || Text[length] == '_'))
                length++;
            return Text[..length];
        }
    }

    /// <summary>The text after the keyword (<c>.Values.x</c> for <c>if .Values.x</c>; <c>if .Values.x</c> for <c>else if .Values.x</c>).</summary>
    public string Argument => Text[Keyword.Length..].Trim();
}

/// <summary>
/// One branch body: the <c>then</c> of an <c>if</c>/<c>with</c>/<c>range</c>, an <c>else if</c>, or an <c>else</c>.
/// <see cref="Line"/> is the line of the action that opens the body; <see cref="BodyStart"/> is the offset just past it and
/// <see cref="BodyEnd"/> the offset of the action that closes it (the next <c>else</c> or the <c>end</c>).
/// </summary>
public sealed record TemplateBranch(
    string File, int Line, BranchKind Kind, string Condition, string Structure, int OpeningAction, int ClosingAction, int BodyStart, int BodyEnd)
{
    /// <summary><c>then</c> for the first body of a structure, <c>else</c> for every later one.</summary>
    public string Side => Kind is BranchKind.If or BranchKind.With or BranchKind.Range ? "then" : "else";

    /// <summary>How the branch reads in a report: <c>if .Values.x</c>, <c>else if .Values.y</c>, <c>else of if .Values.x</c>.</summary>
    public string Describe() => Kind switch
    {
        BranchKind.If => $"if {Condition}",
        BranchKind.With => $"with {Condition}",
        BranchKind.Range => $"range {Condition}",
        BranchKind.ElseIf => $"else if {Condition}",
        BranchKind.ElseWith => $"else with {Condition}",
        _ => $"else of {Structure}",
    };
}

/// <summary>A template file's actions and the branches of its control structures. Not a template engine: helm renders.</summary>
public sealed class TemplateStructure
{
    private TemplateStructure(string file, string text, IReadOnlyList<TemplateAction> actions, IReadOnlyList<TemplateBranch> branches)
    {
        File = file;
        Text = text;
        Actions = actions;
        Branches = branches;
    }

    public string File { get; }

    public string Text { get; }

    public IReadOnlyList<TemplateAction> Actions { get; }

    public IReadOnlyList<TemplateBranch> Branches { get; }

    /// <summary>Tokenizes <paramref name="text"/> and builds its control structure.</summary>
    /// <exception cref="TemplateSyntaxException">An action is unterminated, or an <c>else</c>/<c>end</c> has nothing to close.</exception>
    public static TemplateStructure Parse(string file, string text)
    {
        var actions = TemplateTokenizer.Tokenize(file, text);
        return new TemplateStructure(file, text, actions, BuildBranches(file, actions));
    }

    private sealed class Frame(string keyword, TemplateAction opening)
    {
        public string Keyword { get; } = keyword;

        public TemplateAction Opening { get; } = opening;

        /// <summary>Index into the branch list of the body being read, -1 for define/block.</summary>
        public int Open { get; set; } = -1;

        public bool SawElse { get; set; }
    }

    private static List<TemplateBranch> BuildBranches(string file, IReadOnlyList<TemplateAction> actions)
    {
        var branches = new List<TemplateBranch>();
        var stack = new Stack<Frame>();

        void Close(Frame frame, int closingIndex)
        {
            if (frame.Open >= 0)
                branches[frame.Open] = branches[frame.Open] with { ClosingAction = closingIndex, BodyEnd = actions[closingIndex].Start };
        }

        int Open(int index, BranchKind kind, string condition, Frame frame)
        {
            var action = actions[index];
            var structure = $"{frame.Keyword} {frame.Opening.Argument}".Trim();
            branches.Add(new TemplateBranch(file, action.Line, kind, condition, structure, index, -1, action.End, -1));
            return branches.Count - 1;
        }

        for (var index = 0; index < actions.Count; index++)
        {
            var action = actions[index];
            switch (action.Keyword)
            {
                case "if" or "with" or "range":
                {
                    var frame = new Frame(action.Keyword, action);
                    var kind = action.Keyword switch { "if" => BranchKind.If, "with" => BranchKind.With, _ => BranchKind.Range };
                    frame.Open = Open(index, kind, action.Argument, frame);
                    stack.Push(frame);
                    break;
                }

                case "define" or "block":
                    stack.Push(new Frame(action.Keyword, action));
                    break;

                case "else":
                {
                    if (stack.Count == 0 || stack.Peek().Keyword is "define" or "block")
                        throw new TemplateSyntaxException(file, action.Line, "{{ else }} outside if/with/range");
                    var frame = stack.Peek();
                    if (frame.SawElse)
                        throw new TemplateSyntaxException(file, action.Line, $"{{{{ else }}}} after the final else of '{frame.Keyword}' (line {frame.Opening.Line})");
                    Close(frame, index);
                    var rest = action.Argument;
                    var chained = new TemplateAction(0, 0, 0, rest, false, false, false);
                    (BranchKind Kind, string Condition) next = (frame.Keyword, chained.Keyword) switch
                    {
                        ("if", "if") => (BranchKind.ElseIf, chained.Argument),
                        ("with", "with") => (BranchKind.ElseWith, chained.Argument),
                        ("if", "") when rest.Length == 0 => (BranchKind.Else, string.Empty),
                        ("with", "") when rest.Length == 0 => (BranchKind.WithElse, string.Empty),
                        ("range", "") when rest.Length == 0 => (BranchKind.RangeElse, string.Empty),
                        _ => throw new TemplateSyntaxException(file, action.Line, $"unexpected '{{{{ {action.Text} }}}}' in '{frame.Keyword}' (line {frame.Opening.Line})"),
                    };
                    frame.SawElse = next.Kind is BranchKind.Else or BranchKind.WithElse or BranchKind.RangeElse;
                    frame.Open = Open(index, next.Kind, next.Condition, frame);
                    break;
                }

                case "end":
                {
                    if (stack.Count == 0)
                        throw new TemplateSyntaxException(file, action.Line, "{{ end }} without an open if/with/range/define/block");
                    Close(stack.Pop(), index);
                    break;
                }
            }
        }

        if (stack.Count > 0)
        {
            var open = stack.Peek();
            throw new TemplateSyntaxException(file, open.Opening.Line, $"'{{{{ {open.Opening.Text} }}}}' is never closed by {{{{ end }}}}");
        }

        return branches;
    }
}

/// <summary>A template the tokenizer cannot read; helm would refuse it too.</summary>
public sealed class TemplateSyntaxException(string file, int line, string message) : Exception($"{file}:{line}: {message}")
{
    public string File { get; } = file;

    public int Line { get; } = line;
}

/// <summary>
/// Finds the actions of a Go template: <c>{{ ... }}</c> with trim markers (<c>{{- </c>, <c> -}}</c>), comments
/// (<c>{{/* ... */}}</c>, <c>{{- /* ... */ -}}</c>), and strings that contain braces (<c>"}}"</c>, raw strings in backticks,
/// character constants).
/// </summary>
public static class TemplateTokenizer
{
    public static IReadOnlyList<TemplateAction> Tokenize(string file, string text)
    {
        var actions = new List<TemplateAction>();
        var line = 1;
        var counted = 0;
        var position = 0;
        while (true)
        {
            var start = text.IndexOf("{{", position, StringComparison.Ordinal);
            if (start < 0)
                break;
            line += CountNewlines(text, counted, start);
            counted = start;

            var cursor = start + 2;
            // "{{-" trims only when followed by a space: "{{-3}}" is the number -3.
            var trimLeft = cursor + 1 < text.Length && text[cursor] == '-' && IsSpace(text[cursor + 1]);
            if (trimLeft)
                cursor++;
            var innerStart = cursor;
            var afterSpace = SkipSpaces(text, cursor);

            if (afterSpace + 1 < text.Length && text[afterSpace] == '/' && text[afterSpace + 1] == '*')
            {
                var commentEnd = text.IndexOf("*/", afterSpace + 2, StringComparison.Ordinal);
                if (commentEnd < 0)
                    throw new TemplateSyntaxException(file, line, "unclosed comment");
                var close = SkipSpaces(text, commentEnd + 2);
                var trimRight = false;
                if (close < text.Length && text[close] == '-' && close > commentEnd + 2)
                {
                    trimRight = true;
                    close++;
                }

                if (close + 1 >= text.Length || text[close] != '}' || text[close + 1] != '}')
                    throw new TemplateSyntaxException(file, line, "comment ends before closing delimiter");
                actions.Add(new TemplateAction(start, close + 2, line, text[afterSpace..(commentEnd + 2)], trimLeft, trimRight, IsComment: true));
                position = close + 2;
                continue;
            }

            var end = FindClose(file, text, innerStart, line);
            var innerEnd = end;
            var trimsRight = end - 2 >= innerStart && text[end - 1] == '-' && IsSpace(text[end - 2]);
            if (trimsRight)
                innerEnd = end - 1;
            actions.Add(new TemplateAction(start, end + 2, line, text[innerStart..innerEnd].Trim(), trimLeft, trimsRight, IsComment: false));
            position = end + 2;
        }

        return actions;
    }

    /// <summary>The offset of the <c>}}</c> that closes the action whose inner text starts at <paramref name="from"/>.</summary>
    private static int FindClose(string file, string text, int from, int line)
    {
        var cursor = from;
        while (cursor < text.Length)
        {
            var character = text[cursor];
            switch (character)
            {
                case '"' or '\'':
                    cursor = SkipQuoted(file, text, cursor, character, line);
                    continue;
                case '`':
                {
                    var close = text.IndexOf('`', cursor + 1);
                    if (close < 0)
                        throw new TemplateSyntaxException(file, line, "unterminated raw string");
                    cursor = close + 1;
                    continue;
                }

                case '}' when cursor + 1 < text.Length && text[cursor + 1] == '}':
                    return cursor;
            }

            cursor++;
        }

        throw new TemplateSyntaxException(file, line, "unclosed action");
    }

    private static int SkipQuoted(string file, string text, int open, char quote, int line)
    {
        for (var cursor = open + 1; cursor < text.Length; cursor++)
        {
            if (text[cursor] == '\\')
                cursor++;
            else if (text[cursor] == quote)
                return cursor + 1;
            else if (text[cursor] == '\n')
                break;
        }

        throw new TemplateSyntaxException(file, line, quote == '"' ? "unterminated quoted string" : "unterminated character constant");
    }

    private static int SkipSpaces(string text, int cursor)
    {
        while (cursor < text.Length && IsSpace(text[cursor]))
            cursor++;
        return cursor;
    }

    private static bool IsSpace(char character) => character is ' ' or '\t' or '\r' or '\n';

    private static int CountNewlines(string text, int from, int to)
    {
        var count = 0;
        for (var index = from; index < to; index++)
        {
            if (text[index] == '\n')
                count++;
        }

        return count;
    }
}
