namespace Slipway.Release.Signing;

/// <summary>Who signs: the CI's OIDC identity (keyless) or a cosign private key.</summary>
public abstract record SigningIdentity
{
    private SigningIdentity()
    {
    }

    public abstract SigningMode Mode { get; }

    /// <summary>Sigstore keyless with the OIDC token of the CI run; <paramref name="Source"/> says where it comes from.</summary>
    public sealed record Keyless(string Source) : SigningIdentity
    {
        public override SigningMode Mode => SigningMode.Keyless;
    }

    /// <summary>A cosign private key (PEM) and its password; both are secrets and are never printed, not even by <see cref="ToString"/>.</summary>
    public sealed record Key(string PrivateKey, string? Password) : SigningIdentity
    {
        public override SigningMode Mode => SigningMode.Key;

        public override string ToString() => "Key { PrivateKey = ***, Password = *** }";
    }
}

/// <summary>The identity found, or null with the reason there is none.</summary>
public sealed record SigningIdentityResolution(SigningIdentity? Identity, string Reason);

/// <summary>Finds the signing identity a run has: a key given explicitly or in the environment, else GitHub Actions' OIDC token.</summary>
public static class SigningIdentities
{
    public const string NoIdentity = "no signing identity";
    public const string PrivateKeyVariable = "COSIGN_PRIVATE_KEY";
    public const string PasswordVariable = "COSIGN_PASSWORD";
    public const string OidcRequestUrlVariable = "ACTIONS_ID_TOKEN_REQUEST_URL";
    public const string OidcRequestTokenVariable = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";

    /// <summary>
    /// A key wins over an ambient OIDC token: giving a key is an explicit choice, while every workflow with
    /// <c>id-token: write</c> has a token. With neither, the identity is null and the reason starts with <see cref="NoIdentity"/>.
    /// </summary>
    public static SigningIdentityResolution Resolve(IReadOnlyDictionary<string, string?> environment, string? privateKey = null, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Get(string name) => environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

        if (!string.IsNullOrWhiteSpace(privateKey))
            return new(new SigningIdentity.Key(privateKey, password ?? Get(PasswordVariable)), "a cosign key was given");
        if (Get(PrivateKeyVariable) is { } key)
            return new(new SigningIdentity.Key(key, password ?? Get(PasswordVariable)), $"a cosign key in {PrivateKeyVariable}");
        if (Get(OidcRequestUrlVariable) is not null && Get(OidcRequestTokenVariable) is not null)
            return new(new SigningIdentity.Keyless("GitHub Actions OIDC"), "GitHub Actions OIDC token (keyless)");
        if (string.Equals(Get("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase))
            return new(null, $"{NoIdentity}: GitHub Actions without an OIDC token (grant the job 'id-token: write') and no {PrivateKeyVariable}");
        return new(null, NoIdentity);
    }

    public static SigningIdentityResolution FromProcessEnvironment(string? privateKey = null, string? password = null)
    {
        var environment = Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(entry => (string)entry.Key, entry => (string?)entry.Value, StringComparer.Ordinal);
        return Resolve(environment, privateKey, password);
    }
}
