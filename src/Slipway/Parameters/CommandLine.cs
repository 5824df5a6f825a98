namespace Slipway.Parameters;

/// <summary>The invocation as typed: <c>[Targets...] [--name value...]</c>, plus the engine's own switches.</summary>
internal sealed record CommandLine(
    IReadOnlyList<string> Targets,
    IReadOnlyDictionary<string, CommandLineOption> Options,
    bool Help,
    bool Plan,
    string? Profile)
{
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var targets = new List<string>();
        var options = new Dictionary<string, CommandLineOption>();
        bool help = false, plan = false;
        string? profile = null;
        CommandLineOption? current = null;

        foreach (var arg in args)
        {
            if (arg is "-h" or "-?" or "--help")
            {
                help = true;
                current = null;
            }
            else if (IsOption(arg))
            {
                var (name, inlineValue) = arg.IndexOf('=') is var equals and > 0 ? (arg[2..equals], arg[(equals + 1)..]) : (arg[2..], null);
                var key = ParameterSpec.Normalize(name);
                if (!options.TryGetValue(key, out current))
                    options[key] = current = new CommandLineOption("--" + name, []);
                if (inlineValue is not null)
                    current.Values.Add(inlineValue);
                if (key == "plan")
                    plan = true;
            }
            else if (current is null)
            {
                targets.Add(arg);
            }
            else
            {
                current.Values.Add(arg);
            }
        }

        // --plan takes the targets to plan, when given after it; they are targets, not values.
        if (options.Remove("plan", out var planned))
            targets.AddRange(planned.Values);
        if (options.Remove("profile", out var profiles))
            profile = profiles.Values.LastOrDefault() ?? throw new ParameterException("--profile needs a name: --profile NAME reads .nuke/parameters.NAME.json.");

        return new CommandLine(targets, options, help, plan, profile);
    }

    /// <summary>An option is <c>--name</c> or <c>--name=value</c>; anything else is a value, even if it starts with dashes (a PEM key does).</summary>
    private static bool IsOption(string arg) =>
        arg.Length > 2 && arg.StartsWith("--", StringComparison.Ordinal) && char.IsAsciiLetter(arg[2]);
}

internal sealed record CommandLineOption(string Typed, List<string> Values);
