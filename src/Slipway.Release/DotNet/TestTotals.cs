using System.Xml.Linq;

namespace Slipway.Release.DotNet;

/// <summary>Test counts, read from the TRX files <c>dotnet test</c> writes.</summary>
public sealed record TestTotals(int Passed, int Failed, int Skipped)
{
    public static TestTotals None { get; } = new(0, 0, 0);

    public static TestTotals operator +(TestTotals left, TestTotals right) =>
        new(left.Passed + right.Passed, left.Failed + right.Failed, left.Skipped + right.Skipped);

    public static TestTotals FromTrxDirectory(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.trx", SearchOption.AllDirectories).Select(FromTrx).Aggregate(None, (sum, next) => sum + next)
            : None;

    public static TestTotals FromTrx(string path)
    {
        var counters = XDocument.Load(path).Descendants().FirstOrDefault(element => element.Name.LocalName == "Counters")
            ?? throw new InvalidDataException($"{path} has no <Counters> element: not a TRX file from dotnet test.");
        int Count(string name) => int.TryParse(counters.Attribute(name)?.Value, out var value) ? value : 0;
        var total = Count("total");
        var passed = Count("passed");
        var failed = Count("failed") + Count("error") + Count("timeout") + Count("aborted");
        return new TestTotals(passed, failed, Math.Max(0, total - passed - failed));
    }

    public override string ToString() => $"Tests: {Passed} passed, {Failed} failed, {Skipped} skipped";
}
