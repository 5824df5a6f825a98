namespace Slipway.Parameters;

public enum ParameterSourceKind
{
    Default,
    CommandLine,
    Environment,
    ParametersFile,
    ProfileFile,
}

/// <summary>Where a parameter's value came from, for every message about that value: a refused password names the variable it came from.</summary>
/// <param name="Name">The variable (environment), or the file relative to the root (parameter files).</param>
/// <param name="Line">The line of the value in that file.</param>
public sealed record ParameterSource(ParameterSourceKind Kind, string? Name = null, int? Line = null)
{
    public static ParameterSource Default { get; } = new(ParameterSourceKind.Default);

    public static ParameterSource CommandLine { get; } = new(ParameterSourceKind.CommandLine);

    public override string ToString() => Kind switch
    {
        ParameterSourceKind.CommandLine => "the command line",
        ParameterSourceKind.Environment => $"the environment variable {Name}",
        ParameterSourceKind.ParametersFile => $"{Name} line {Line}",
        ParameterSourceKind.ProfileFile => $"the profile file {Name} line {Line}",
        _ => "its default",
    };

    /// <summary>What to do about a bad value from here: "correct or unset SLIPWAY_X", "correct it in .nuke/parameters.json line 3, or override it with --x".</summary>
    public string NextStep(string commandLineName) => Kind switch
    {
        ParameterSourceKind.CommandLine => $"correct the value after {commandLineName} on the command line",
        ParameterSourceKind.Environment => $"correct or unset {Name}",
        ParameterSourceKind.ParametersFile or ParameterSourceKind.ProfileFile => $"correct it in {Name} line {Line}, or override it with {commandLineName}",
        _ => $"pass {commandLineName} with a valid value",
    };
}
