namespace Slipway;

/// <summary>Marks a field or property as a build parameter: bound from the command line, <c>SLIPWAY_*</c> variables and <c>.nuke/parameters*.json</c>.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string description) : Attribute
{
    public string Description { get; } = description;
}

/// <summary>The parameter's value is a secret: masked in every output, never shown as a default.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;

/// <summary>
/// Declares an environment variable an assembly reads that is not a parameter (such as <c>SLIPWAY_TOOL_CACHE</c>): listed by
/// <c>--help</c>, and not warned about as a <c>SLIPWAY_*</c> variable that matches no parameter.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class EnvironmentVariableAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;
}
