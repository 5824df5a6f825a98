namespace Slipway.Planning;

/// <summary>A discovered target: its name, where it was declared, and its resolved relations.</summary>
internal sealed class TargetInfo(string name, int order, Type declaringType, TargetDefinition definition)
{
    public string Name { get; } = name;

    /// <summary>Declaration order; the tie-breaker that keeps plans deterministic.</summary>
    public int Order { get; } = order;

    public Type DeclaringType { get; } = declaringType;

    public TargetDefinition Definition { get; } = definition;

    public string? Description => Definition.DescriptionText;

    public List<TargetInfo> Dependencies { get; } = [];

    public List<TargetInfo> RunsAfter { get; } = [];

    public List<TargetInfo> RunsBefore { get; } = [];

    public List<TargetInfo> Triggers { get; } = [];

    public List<TargetInfo> Collects { get; } = [];

    public override string ToString() => Name;
}
