namespace Beacon.Auth;

/// <summary>Bearer token settings, section "Auth" (env Auth__Issuer, Auth__Audience,
/// Auth__SigningKeyFile or Auth__SigningKey).</summary>
public sealed class AuthSettings
{
    public const string Section = "Auth";

    /// <summary>HS256 needs a key of at least 256 bits.</summary>
    public const int MinimumKeyBytes = 32;

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>Path of a file holding the HMAC signing key (a mounted Secret); trailing whitespace
    /// and newlines are ignored.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>The HMAC signing key itself (for local runs; the chart uses the file).</summary>
    public string? SigningKey { get; set; }

    public bool HasSigningKey =>
        !string.IsNullOrWhiteSpace(SigningKeyFile) || !string.IsNullOrWhiteSpace(SigningKey);

    /// <summary>True when tokens can be validated at all: issuer, audience and a key are set.</summary>
    public bool IsComplete =>
        HasSigningKey && !string.IsNullOrWhiteSpace(Issuer) && !string.IsNullOrWhiteSpace(Audience);
}
