using System.Text.RegularExpressions;

namespace Slipway.Release.Manifests;

/// <summary>The name formats the API server enforces (k8s.io/apimachinery/pkg/util/validation), each with the rule in words.</summary>
internal sealed partial record NameFormat(string Title, string Rule, int MaxLength, Regex? Pattern)
{
    public static NameFormat Dns1123Label { get; } = new("DNS-1123 label",
        "lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters", 63, Label());

    public static NameFormat Dns1123Subdomain { get; } = new("DNS-1123 subdomain",
        "lowercase letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit, at most 253 characters", 253, Subdomain());

    public static NameFormat Dns1035Label { get; } = new("DNS-1035 label",
        "lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 characters", 63, Dns1035());

    /// <summary>What every object name must be, as it is a segment of the object's URL.</summary>
    public static NameFormat PathSegment { get; } = new("path segment", "not '.' or '..', and no '/' or '%'", int.MaxValue, null);

    /// <summary>A port name (IANA_SVC_NAME): what a probe or a Service's targetPort can refer to; a label's pattern plus the checks in <see cref="Allows"/>.</summary>
    public static NameFormat PortName { get; } = new("port name (IANA service name)",
        "lowercase letters, digits and '-', at least one letter, no '-' at either end and no '--', at most 15 characters", 15, Label());

    public bool Allows(string name) => Pattern is null
        ? name is not ("." or "..") && !name.Contains('/') && !name.Contains('%')
        : name.Length <= MaxLength && Pattern.IsMatch(name) && (!ReferenceEquals(this, PortName) || (name.Any(char.IsAsciiLetterLower) && !name.Contains("--", StringComparison.Ordinal)));

    /// <summary>A name close to <paramref name="name"/> that this format allows, or null when none is obvious.</summary>
    public string? Suggest(string name)
    {
        if (Pattern is null)
            return null;
        var allowed = ReferenceEquals(this, Dns1123Subdomain) ? "[^a-z0-9.-]+" : "[^a-z0-9-]+";
        var suggestion = Regex.Replace(Regex.Replace(name.ToLowerInvariant(), allowed, "-"), "-{2,}", "-");
        suggestion = suggestion.Length > MaxLength ? suggestion[..MaxLength] : suggestion;
        suggestion = suggestion.Trim('-', '.');
        if (ReferenceEquals(this, Dns1035Label) && suggestion.Length > 0 && !char.IsAsciiLetter(suggestion[0]))
            suggestion = ("x-" + suggestion)[..Math.Min(MaxLength, suggestion.Length + 2)].TrimEnd('-');
        return suggestion.Length > 0 && suggestion != name && Allows(suggestion) ? suggestion : null;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035();
}
