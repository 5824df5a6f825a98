using System.Text;

namespace Pipeline.Tests;

/// <summary>A line diff for a failure message: lines only in the old text start with <c>-</c>, only in the new with <c>+</c>, shared ones with a space.</summary>
internal static class LineDiff
{
    public static string Of(string before, string after)
    {
        var (old, current) = (before.Split('\n'), after.Split('\n'));
        // Longest common subsequence of every pair of suffixes; plans are tens of lines.
        var common = new int[old.Length + 1, current.Length + 1];
        for (var i = old.Length - 1; i >= 0; i--)
        {
            for (var j = current.Length - 1; j >= 0; j--)
                common[i, j] = old[i] == current[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
        }

        var diff = new StringBuilder();
        var (a, b) = (0, 0);
        while (a < old.Length || b < current.Length)
        {
            if (a < old.Length && b < current.Length && old[a] == current[b])
            {
                diff.Append("  ").AppendLine(old[a]);
                (a, b) = (a + 1, b + 1);
            }
            else if (b < current.Length && (a == old.Length || common[a, b + 1] >= common[a + 1, b]))
                diff.Append("+ ").AppendLine(current[b++]);
            else
                diff.Append("- ").AppendLine(old[a++]);
        }

        return diff.ToString().TrimEnd();
    }
}
