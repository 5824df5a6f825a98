namespace Slipway.Text;

/// <summary>The closest valid name to a mistyped one, for "did you mean" messages.</summary>
internal static class Suggestions
{
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        var wanted = typed.ToLowerInvariant();
        var best = candidates
            .Select(candidate => (Candidate: candidate, Distance: Distance(wanted, candidate.ToLowerInvariant())))
            .OrderBy(match => match.Distance)
            .ThenBy(match => match.Candidate, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Candidate is not null && best.Distance <= Math.Max(2, wanted.Length / 3) ? best.Candidate : null;
    }

    public static string DidYouMean(string typed, IEnumerable<string> candidates) =>
        Closest(typed, candidates) is { } closest ? $" Did you mean '{closest}'?" : string.Empty;

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
