namespace Slipway.Release.Helm.Coverage;

public enum BranchStatus
{
    /// <summary>Its marker appeared in the output of at least one case.</summary>
    Rendered,

    /// <summary>No case rendered it, and every render that could have shown its marker was byte-identical to the uninstrumented one.</summary>
    NotRendered,

    /// <summary>In some case its marker changed the output without appearing in it (sha256sum, b64enc, trunc, a broken render...), and no case showed it.</summary>
    NotMeasurable,
}

/// <summary>Why a branch could not be measured in one case.</summary>
public sealed record CaseReason(string Case, string Reason);

/// <summary>One branch and what the cases did with it.</summary>
public sealed record BranchCoverage(
    int Id,
    string File,
    int Line,
    BranchKind Kind,
    string Side,
    string Branch,
    BranchStatus Status,
    IReadOnlyList<string> RenderedBy,
    IReadOnlyList<CaseReason> NotMeasurable,
    IReadOnlyList<CaseReason> Notes)
{
    public string Location => $"{File}:{Line}";
}

public sealed record TemplateCoverage(string File, IReadOnlyList<BranchCoverage> Branches)
{
    public int Total => Branches.Count;

    public int Rendered => Branches.Count(branch => branch.Status == BranchStatus.Rendered);

    public int NotMeasurable => Branches.Count(branch => branch.Status == BranchStatus.NotMeasurable);
}

/// <summary>Branch coverage of a chart over its values cases.</summary>
public sealed record ChartCoverageResult(string Chart, IReadOnlyList<string> Cases, IReadOnlyList<TemplateCoverage> Templates)
{
    public IEnumerable<BranchCoverage> Branches => Templates.SelectMany(template => template.Branches);

    public int Total => Branches.Count();

    public int Rendered => Branches.Count(branch => branch.Status == BranchStatus.Rendered);

    public int NotMeasurable => Branches.Count(branch => branch.Status == BranchStatus.NotMeasurable);

    public int Measurable => Total - NotMeasurable;

    /// <summary>Rendered branches as a percentage of the measurable ones (100 when there are none).</summary>
    public double Percent => Measurable == 0 ? 100 : Math.Round(100.0 * Rendered / Measurable, 2);

    public IReadOnlyList<BranchCoverage> Uncovered => [.. Branches.Where(branch => branch.Status == BranchStatus.NotRendered)];
}
