namespace Slipway.Workflows.Yaml;

/// <summary>The YAML a workflow is written as: block mappings and sequences in the order built, scalars, and comments.</summary>
internal abstract class YamlNode
{
    /// <summary>Written after the node on its own line (for scalars) or after its key (for collections): <c># v4.2.2</c>.</summary>
    public string? InlineComment { get; init; }
}

/// <summary>A scalar: text that is quoted when YAML would read it as anything but that string, or a number or boolean as it is.</summary>
internal sealed class YamlScalar : YamlNode
{
    private YamlScalar(string text, bool verbatim)
    {
        Text = text;
        IsVerbatim = verbatim;
    }

    public string Text { get; }

    /// <summary>Written without quoting (numbers, booleans): the writer trusts it to be a valid plain scalar.</summary>
    public bool IsVerbatim { get; }

    public static YamlScalar String(string text, string? comment = null) => new(text, verbatim: false) { InlineComment = comment };

    public static YamlScalar Number(int value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture), verbatim: true);

    public static YamlScalar Boolean(bool value) => new(value ? "true" : "false", verbatim: true);
}

/// <summary>A key with no value: <c>merge_group:</c> (GitHub reads it as an event with no filters).</summary>
internal sealed class YamlNull : YamlNode;

internal sealed class YamlMapping : YamlNode
{
    private readonly List<YamlEntry> _entries = [];

    public IReadOnlyList<YamlEntry> Entries => _entries;

    public YamlMapping Add(string key, YamlNode value, params string[] leadingComments)
    {
        if (_entries.Any(entry => entry.Key == key))
            throw new InvalidOperationException($"The key '{key}' is set twice.");
        _entries.Add(new YamlEntry(key, value, leadingComments));
        return this;
    }

    public YamlMapping Add(string key, string value) => Add(key, YamlScalar.String(value));

    public YamlMapping AddIfSet(string key, string? value) => value is null ? this : Add(key, value);
}

internal sealed record YamlEntry(string Key, YamlNode Value, IReadOnlyList<string> LeadingComments);

internal sealed class YamlSequence(IEnumerable<YamlNode> items) : YamlNode
{
    public IReadOnlyList<YamlNode> Items { get; } = [.. items];

    public static YamlSequence Of(IEnumerable<string> items) => new(items.Select(item => (YamlNode)YamlScalar.String(item)));
}
