namespace Slipway.Release.Manifests;

/// <summary>One violation of a rule by one rendered object (and container, where the rule is per container).</summary>
public sealed record PolicyFinding(PolicyRule Rule, string File, string Object, string? Container, string FieldPath, string Message)
{
    /// <summary>The reason given in the object's exemption annotation; an exempted finding does not block.</summary>
    public string? ExemptionReason { get; init; }

    public bool Blocks => Rule.Severity == PolicySeverity.Error && ExemptionReason is null;

    public override string ToString()
    {
        var container = Container is null ? string.Empty : $" container '{Container}'";
        var exempted = ExemptionReason is null ? string.Empty : $" [exempted: {ExemptionReason}]";
        return $"{File}: {Object}{container}: {Rule.Id} {Rule.Title}: {FieldPath}: {Message}. Fix: {Rule.Fix}{exempted}";
    }
}

/// <summary>Every finding of one policy run; it passes when no finding blocks.</summary>
public sealed record PolicyReport(IReadOnlyList<PolicyFinding> Findings)
{
    public IEnumerable<PolicyFinding> Blocking => Findings.Where(finding => finding.Blocks);

    public bool Passed => !Blocking.Any();
}
