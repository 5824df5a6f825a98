namespace Slipway.FakeCluster;

/// <summary>A command line the way cobra (kubectl's, helm's and kind's flag library) reads it: positionals, and flags anywhere as --name value, --name=value or -n value.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, List<string>> _flags = [];

    private Arguments(List<string> positionals) => Positionals = positionals;

    public IReadOnlyList<string> Positionals { get; }

    /// <param name="booleans">Flags that take no value (unless written --flag=value).</param>
    /// <param name="shorthands">Short forms, e.g. n for namespace.</param>
    /// <param name="optional">Flags whose bare form means a default value (cobra's NoOptDefVal, e.g. helm 4's --wait meaning watcher); a value needs '='.</param>
    public static Arguments Parse(IReadOnlyList<string> args, ISet<string> booleans, IReadOnlyDictionary<char, string> shorthands, IReadOnlyDictionary<string, string>? optional = null)
    {
        var positionals = new List<string>();
        var parsed = new Arguments(positionals);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? name = null;
            string? value = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var equals = arg.IndexOf('=', StringComparison.Ordinal);
                (name, value) = equals > 0 ? (arg[2..equals], arg[(equals + 1)..]) : (arg[2..], null);
            }
            else if (arg.Length == 2 && arg[0] == '-' && shorthands.TryGetValue(arg[1], out var longName))
            {
                name = longName;
            }

            if (name is null)
            {
                positionals.Add(arg);
                continue;
            }

            if (value is null && optional?.TryGetValue(name, out var bare) == true)
            {
                value = bare;
            }
            else if (value is null && !booleans.Contains(name))
            {
                if (i + 1 >= args.Count)
                    throw new FakeExit(1, $"Error: flag needs an argument: --{name}");
                value = args[++i];
            }

            if (!parsed._flags.TryGetValue(name, out var values))
                parsed._flags[name] = values = [];
            values.Add(value ?? "true");
        }

        return parsed;
    }

    public string? Flag(string name) => _flags.TryGetValue(name, out var values) ? values[^1] : null;

    public bool Has(string name) => _flags.ContainsKey(name);

    public bool Bool(string name) => Flag(name) is { } value && value != "false";

    public IReadOnlyList<string> All(string name) => _flags.TryGetValue(name, out var values) ? values : [];
}
