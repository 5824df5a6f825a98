namespace Slipway.Release.Manifests;

public enum PolicySeverity
{
    Warning,
    Error,
}

/// <summary>One policy rule: a stable id to exempt or search by, how bad a violation is, and the one-line fix.</summary>
public sealed record PolicyRule(string Id, PolicySeverity Severity, string Title, string Fix);
