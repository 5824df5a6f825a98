using System.Net;
using System.Text.RegularExpressions;

namespace Slipway.Release.Oci;

/// <summary>
/// A manifest in an OCI registry: <c>host[:port]/repository/path:tag</c>, <c>...@sha256:&lt;hex&gt;</c>, or both
/// (the digest wins). An <c>oci://</c> prefix, as helm writes it, is accepted. The host is never implied: there is no
/// default registry to guess.
/// </summary>
public sealed partial record OciReference
{
    private OciReference(string registry, string repository, string? tag, string? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary><c>host[:port]</c>, as written.</summary>
    public string Registry { get; }

    public string Repository { get; }

    public string? Tag { get; }

    public string? Digest { get; }

    /// <summary>What goes into <c>/v2/&lt;repository&gt;/manifests/&lt;reference&gt;</c>.</summary>
    public string Reference => Digest ?? Tag!;

    public static OciReference Parse(string text) =>
        TryParse(text, out var reference, out var error) ? reference : throw new FormatException(error);

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OciReference? reference, out string error)
    {
        reference = null;
        var rest = text?.Trim() ?? string.Empty;
        if (rest.StartsWith("oci://", StringComparison.Ordinal))
            rest = rest["oci://".Length..];

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var registry = slash < 0 ? string.Empty : rest[..slash];
        if (!RegistryPattern().IsMatch(registry) || !(registry.Contains('.') || registry.Contains(':') || registry.StartsWith("localhost", StringComparison.Ordinal)))
        {
            error = $"'{text}' does not start with a registry host: write it as host[:port]/repository:tag or host[:port]/repository@sha256:<digest>.";
            return false;
        }

        var name = rest[(slash + 1)..];
        string? digest = null;
        var at = name.LastIndexOf('@');
        if (at >= 0)
        {
            digest = name[(at + 1)..];
            name = name[..at];
            if (!DigestPattern().IsMatch(digest))
            {
                error = $"'{text}' has digest '{digest}'; expected sha256: followed by 64 lowercase hex digits.";
                return false;
            }
        }

        string? tag = null;
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/'))
        {
            tag = name[(colon + 1)..];
            name = name[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                error = $"'{text}' has tag '{tag}'; a tag is 1-128 of [A-Za-z0-9_.-] and does not start with '.' or '-'.";
                return false;
            }
        }

        if (!RepositoryPattern().IsMatch(name))
        {
            error = $"'{text}' has repository '{name}'; expected lowercase path components of [a-z0-9] joined by '.', '_', '__' or '-'.";
            return false;
        }

        if (tag is null && digest is null)
        {
            error = $"'{text}' names no tag or digest; add ':<tag>' or '@sha256:<digest>'.";
            return false;
        }

        reference = new OciReference(registry, name, tag, digest);
        error = string.Empty;
        return true;
    }

    /// <summary>Plain HTTP only for a registry on this machine; anything else must be TLS.</summary>
    public Uri RegistryBaseUri => BaseUriFor(Registry);

    public static Uri BaseUriFor(string registry) => new($"{(IsLoopback(registry) ? "http" : "https")}://{registry}/");

    public static bool IsLoopback(string registry)
    {
        var host = registry.StartsWith('[') ? registry[1..registry.IndexOf(']', StringComparison.Ordinal)] : registry.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    public override string ToString() => $"{Registry}/{Repository}{(Tag is null ? string.Empty : ":" + Tag)}{(Digest is null ? string.Empty : "@" + Digest)}";

    [GeneratedRegex(@"^(?:\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*)(?::[0-9]{1,5})?$")]
    private static partial Regex RegistryPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^sha256:[a-f0-9]{64}$")]
    private static partial Regex DigestPattern();
}
