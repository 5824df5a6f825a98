using System.Text.RegularExpressions;

namespace Slipway.Release.GitHub;

/// <summary>A repository on GitHub, <c>owner/name</c> as GITHUB_REPOSITORY spells it.</summary>
public sealed partial record GitHubRepository(string Owner, string Name)
{
    /// <exception cref="FormatException">Not <c>owner/name</c>; the message says what was given and where it came from.</exception>
    public static GitHubRepository Parse(string text, string source)
    {
        var match = Pattern().Match(text?.Trim() ?? string.Empty);
        return match.Success
            ? new GitHubRepository(match.Groups["owner"].Value, match.Groups["name"].Value)
            : throw new FormatException($"{source} must be owner/name as GitHub spells it (e.g. acme/widgets), got '{text}'.");
    }

    /// <summary>GitHub compares owner and repository names without regard to case.</summary>
    public bool Is(string? fullName) => string.Equals(fullName, ToString(), StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"{Owner}/{Name}";

    [GeneratedRegex(@"^(?<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/(?<name>[A-Za-z0-9._-]{1,100})$")]
    private static partial Regex Pattern();
}
