using System.Diagnostics.CodeAnalysis;

namespace Slipway.Release.Helm;

/// <summary>
/// A place in a chart's values in the dotted form people write: <c>image.tag</c>, <c>networkPolicy.ingressCidrs.0</c>
/// (array items by index); the values themselves are the empty root. Keys are joined with dots as they are, so a key
/// that holds a dot (<c>example.test/replicas</c>) reads the way helm 3 printed it and the way a person types it.
/// </summary>
public sealed record ValuesPath
{
    private ValuesPath(string dotted) => Dotted = dotted;

    public static ValuesPath Root { get; } = new(string.Empty);

    public string Dotted { get; }

    public ValuesPath Child(string key) => new(Dotted.Length == 0 ? key : $"{Dotted}.{key}");

    /// <summary><paramref name="path"/> read relative to this one.</summary>
    public ValuesPath Child(ValuesPath path) => path == Root ? this : Child(path.Dotted);

    /// <summary>An RFC 6901 JSON pointer (<c>/podAnnotations/example.test~1replicas</c>, <c>''</c> for the root), as helm 3.18.5 and later print.</summary>
    public static ValuesPath FromJsonPointer(string pointer)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        if (pointer.Length == 0)
            return Root;
        if (pointer[0] != '/')
            throw new FormatException($"'{pointer}' is not a JSON pointer: it must be empty or start with '/'.");
        // ~1 before ~0, as RFC 6901 says: "~01" is the key "~1", not "/".
        return pointer[1..].Split('/').Select(token => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))
            .Aggregate(Root, (path, key) => path.Child(key));
    }

    /// <summary>The field helm up to 3.18.4 prints (gojsonschema's context: <c>image.tag</c>, <c>(root)</c> for the values themselves).</summary>
    public static ValuesPath FromDottedField(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field == "(root)" ? Root : new ValuesPath(field);
    }

    /// <summary>A path a person wrote, e.g. in a case file's <c># expect-error:</c> line; <paramref name="problem"/> says what is wrong with it.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ValuesPath? path, [NotNullWhen(false)] out string? problem)
    {
        problem = string.IsNullOrEmpty(text) ? "it is empty" : ProblemWith(text);
        path = problem is null ? new ValuesPath(text!) : null;
        return path is not null;
    }

    private static string? ProblemWith(string text) => text switch
    {
        _ when text.Any(char.IsWhiteSpace) => "it holds white space (helm's message text rather than the path?)",
        _ when text.StartsWith('/') => "it is a JSON pointer; write it with dots (image.tag, not /image/tag)",
        "(root)" => "it names the values as a whole; name the key the schema rejects",
        _ when text.Split('.').Any(key => key.Length == 0) => "it has an empty key (a leading, trailing or doubled '.')",
        _ => null,
    };

    public override string ToString() => Dotted;
}
