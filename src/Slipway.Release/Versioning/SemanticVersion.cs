using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Slipway.Release.Versioning;

/// <summary>
/// A strict SemVer 2.0.0 version without build metadata: a <c>+</c> is not allowed in an OCI tag and is dropped
/// from precedence anyway, so a version that must name a chart and an image never carries one.
/// </summary>
public sealed partial class SemanticVersion : IComparable<SemanticVersion>, IEquatable<SemanticVersion>
{
    private SemanticVersion(string text, long major, long minor, long patch, IReadOnlyList<string> prerelease)
    {
        Text = text;
        Major = major;
        Minor = minor;
        Patch = patch;
        Prerelease = prerelease;
    }

    public long Major { get; }

    public long Minor { get; }

    public long Patch { get; }

    /// <summary>The dot-separated prerelease identifiers; empty for a release.</summary>
    public IReadOnlyList<string> Prerelease { get; }

    public bool IsPrerelease => Prerelease.Count > 0;

    private string Text { get; }

    public static SemanticVersion Parse(string text) =>
        TryParse(text, out var version)
            ? version
            : throw new FormatException($"'{text}' is not a strict SemVer 2 version (MAJOR.MINOR.PATCH[-PRERELEASE], no leading zeros, no build metadata).");

    public static bool TryParse(string? text, [NotNullWhen(true)] out SemanticVersion? version)
    {
        version = null;
        if (text is null)
            return false;
        var match = StrictPattern().Match(text);
        if (!match.Success
            || !long.TryParse(match.Groups["major"].Value, out var major)
            || !long.TryParse(match.Groups["minor"].Value, out var minor)
            || !long.TryParse(match.Groups["patch"].Value, out var patch))
            return false;
        var prerelease = match.Groups["pre"].Success ? match.Groups["pre"].Value.Split('.') : [];
        version = new SemanticVersion(text, major, minor, patch, prerelease);
        return true;
    }

    /// <summary>A version from its parts; <paramref name="prerelease"/> identifiers are validated like parsed ones.</summary>
    public static SemanticVersion Create(long major, long minor, long patch, params string[] prerelease)
    {
        var text = $"{major}.{minor}.{patch}" + (prerelease.Length == 0 ? string.Empty : "-" + string.Join('.', prerelease));
        return Parse(text);
    }

    public SemanticVersion NextPatch() => Create(Major, Minor, Patch + 1);

    public SemanticVersion WithPrerelease(params string[] identifiers) => Create(Major, Minor, Patch, identifiers);

    /// <summary>SemVer 2 precedence (section 11).</summary>
    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
            return 1;
        var core = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (core != 0)
            return core;
        // A release sorts after every prerelease of the same core version.
        if (IsPrerelease != other.IsPrerelease)
            return IsPrerelease ? -1 : 1;
        for (var i = 0; i < Math.Min(Prerelease.Count, other.Prerelease.Count); i++)
        {
            var identifier = CompareIdentifiers(Prerelease[i], other.Prerelease[i]);
            if (identifier != 0)
                return identifier;
        }

        return Prerelease.Count.CompareTo(other.Prerelease.Count);
    }

    public bool Equals(SemanticVersion? other) => other is not null && Text == other.Text;

    public override bool Equals(object? obj) => Equals(obj as SemanticVersion);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    public override string ToString() => Text;

    public static bool operator ==(SemanticVersion? left, SemanticVersion? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(SemanticVersion? left, SemanticVersion? right) => !(left == right);

    public static bool operator <(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) >= 0;

    private static int CompareIdentifiers(string left, string right)
    {
        var leftNumeric = left.All(char.IsAsciiDigit);
        var rightNumeric = right.All(char.IsAsciiDigit);
        return (leftNumeric, rightNumeric) switch
        {
            // Numeric identifiers have no leading zeros, so the longer one is the larger, whatever its size.
            (true, true) => left.Length != right.Length ? left.Length.CompareTo(right.Length) : string.CompareOrdinal(left, right),
            (true, false) => -1,
            (false, true) => 1,
            _ => Math.Sign(string.CompareOrdinal(left, right)),
        };
    }

    // semver.org's reference pattern without the build-metadata group; [0-9] because \d also matches non-ASCII digits.
    [GeneratedRegex(
        @"^(?<major>0|[1-9][0-9]*)\.(?<minor>0|[1-9][0-9]*)\.(?<patch>0|[1-9][0-9]*)" +
        @"(?:-(?<pre>(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex StrictPattern();
}
