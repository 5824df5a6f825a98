using System.Globalization;

namespace Slipway;

/// <summary>
/// A rule a parameter's value must follow, declared next to the parameter. Rules are checked when parameters are bound, before
/// any target runs and for <c>--plan</c> too: a value that breaks one exits 2 with a message naming the parameter, the value
/// (never a secret's), where it came from and what to do. Only values given by a source are checked; a default is the
/// declaring code's own. A list parameter's rule applies to each element.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true)]
public abstract class ParameterRuleAttribute : Attribute
{
    /// <summary>Null when <paramref name="value"/> (the converted value, or one element of a list) is acceptable; otherwise what it must be, phrased to follow the parameter's name: "must be at least 1".</summary>
    public abstract string? Check(object value, ParameterCheckContext context);
}

/// <summary>What a rule may look at besides the value: pure checks only, nothing of the run.</summary>
public sealed record ParameterCheckContext(string RootDirectory);

/// <summary>A number within bounds (either may be left open).</summary>
public sealed class RangeAttribute : ParameterRuleAttribute
{
    public double Minimum { get; set; } = double.NegativeInfinity;

    public double Maximum { get; set; } = double.PositiveInfinity;

    public override string? Check(object value, ParameterCheckContext context)
    {
        var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        if (number >= Minimum && number <= Maximum)
            return null;
        return (double.IsInfinity(Minimum), double.IsInfinity(Maximum)) switch
        {
            (false, false) => $"must be from {Text(Minimum)} to {Text(Maximum)}",
            (false, true) => $"must be at least {Text(Minimum)}",
            _ => $"must be at most {Text(Maximum)}",
        };
    }

    private static string Text(double bound) => bound.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One of a fixed set of strings (ignoring case); an enum-typed parameter needs no rule, its type already is one.</summary>
public sealed class OneOfAttribute(params string[] allowed) : ParameterRuleAttribute
{
    public IReadOnlyList<string> Allowed { get; } = allowed;

    public override string? Check(object value, ParameterCheckContext context) =>
        Allowed.Contains(value.ToString(), StringComparer.OrdinalIgnoreCase) ? null : $"must be one of {string.Join(", ", Allowed)}";
}

/// <summary>A directory that exists, relative to the repository root.</summary>
public sealed class ExistingDirectoryAttribute : ParameterRuleAttribute
{
    public override string? Check(object value, ParameterCheckContext context)
    {
        var path = Path.GetFullPath(value.ToString() ?? string.Empty, context.RootDirectory);
        if (Directory.Exists(path))
            return null;
        return File.Exists(path)
            ? $"must be a directory, not a file (relative to the repository root {context.RootDirectory})"
            : $"must be an existing directory (relative to the repository root {context.RootDirectory})";
    }
}

/// <summary>A check of its own, written as a class: <c>[CheckedBy&lt;KubernetesVersionCheck&gt;]</c>.</summary>
public sealed class CheckedByAttribute<TCheck> : ParameterRuleAttribute
    where TCheck : IParameterCheck, new()
{
    public override string? Check(object value, ParameterCheckContext context) =>
        new TCheck().Check(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty, context);
}

/// <summary>A component's own value check, run with the engine's before anything runs; it must be pure (no network, no tools).</summary>
public interface IParameterCheck
{
    /// <summary>Null when <paramref name="value"/> is acceptable; otherwise what it must be, phrased to follow the parameter's name: "must be a Kubernetes version such as 1.31.0".</summary>
    string? Check(string value, ParameterCheckContext context);
}
