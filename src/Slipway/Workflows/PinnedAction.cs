using System.Text.RegularExpressions;

namespace Slipway.Workflows;

/// <summary>
/// An action pinned by the full commit sha it resolved to at <see cref="Tag"/>: a tag can be moved, a sha cannot. The tag
/// is written as a comment after the sha so a reader (and Dependabot) sees which release it is.
/// </summary>
public sealed partial record PinnedAction
{
    public PinnedAction(string repository, string sha, string tag)
    {
        if (!RepositoryPattern().IsMatch(repository))
            throw new ArgumentException($"'{repository}' is not an action repository: expected owner/name or owner/name/path.", nameof(repository));
        if (!ShaPattern().IsMatch(sha))
            throw new ArgumentException($"{repository} is pinned to '{sha}', which is not a full 40-character lowercase commit sha: read it with `git rev-parse {tag}^{{commit}}` in the action's repository.", nameof(sha));
        if (string.IsNullOrWhiteSpace(tag))
            throw new ArgumentException($"{repository}@{sha} needs the tag it was read from.", nameof(tag));
        Repository = repository;
        Sha = sha;
        Tag = tag;
    }

    public string Repository { get; }

    public string Sha { get; }

    public string Tag { get; }

    /// <summary>What <c>uses:</c> says: <c>owner/name@sha</c>.</summary>
    public string Reference => $"{Repository}@{Sha}";

    [GeneratedRegex("^[0-9a-f]{40}$")]
    internal static partial Regex ShaPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?$")]
    private static partial Regex RepositoryPattern();
}
