using System.Text;
using System.Text.RegularExpressions;

namespace Slipway.Release.PrSmoke;

/// <summary>Free text made to fit the result: tool output is long and coloured, the result's fields are bounded plain text.</summary>
public static partial class PrSmokeText
{
    private const string Ellipsis = "…";

    /// <summary>
    /// The text without terminal escape sequences, with line ends as LF and any other control or bidirectional-override
    /// character as U+FFFD, and when longer than <paramref name="maxLength"/> characters its start and an ellipsis
    /// (never a split surrogate pair).
    /// </summary>
    public static string Fit(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var plain = new StringBuilder(text.Length);
        foreach (var character in TerminalEscape().Replace(text, string.Empty).ReplaceLineEndings("\n"))
            plain.Append(IsAllowed(character) ? character : '\uFFFD');
        if (plain.Length <= maxLength)
            return plain.ToString();
        var keep = maxLength - Ellipsis.Length;
        if (char.IsHighSurrogate(plain[keep - 1]))
            keep--;
        return plain.ToString(0, keep) + Ellipsis;
    }

    /// <summary>Line feeds and tabs, and no other control character, nor one that reorders how text is displayed.</summary>
    internal static bool IsAllowed(char character) =>
        character is '\n' or '\t' || !(char.IsControl(character) || character is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C');

    [GeneratedRegex(@"\x1B(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1B]*(\x07|\x1B\\)?|[@-Z\\-_])")]
    private static partial Regex TerminalEscape();
}
