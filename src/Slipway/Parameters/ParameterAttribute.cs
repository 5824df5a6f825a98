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
