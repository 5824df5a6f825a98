using Slipway.Release.Signing;

namespace Slipway.Release.Tests.Signing;

public sealed class SigningIdentitiesTests
{
    private static Dictionary<string, string?> Environment(params (string Name, string? Value)[] variables) =>
        variables.ToDictionary(variable => variable.Name, variable => variable.Value, StringComparer.Ordinal);

    [Fact]
    public void Github_oidc_gives_keyless()
    {
        var resolution = SigningIdentities.Resolve(Environment(
            ("GITHUB_ACTIONS", "true"), ("ACTIONS_ID_TOKEN_REQUEST_URL", "https://token.example/"), ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "t")));

        Assert.IsType<SigningIdentity.Keyless>(resolution.Identity);
    }

    [Fact]
    public void A_key_gives_key_mode_and_wins_over_an_ambient_oidc_token()
    {
        var fromEnvironment = SigningIdentities.Resolve(Environment(
            ("COSIGN_PRIVATE_KEY", "pem"), ("COSIGN_PASSWORD", "pw"), ("ACTIONS_ID_TOKEN_REQUEST_URL", "u"), ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "t")));
        var given = SigningIdentities.Resolve(Environment(), privateKey: "pem2", password: "pw2");

        Assert.Equal(new SigningIdentity.Key("pem", "pw"), fromEnvironment.Identity);
        Assert.Equal(new SigningIdentity.Key("pem2", "pw2"), given.Identity);
    }

    [Fact]
    public void Nothing_gives_no_identity_with_a_reason()
    {
        var laptop = SigningIdentities.Resolve(Environment(("ACTIONS_ID_TOKEN_REQUEST_URL", "u")));
        var actions = SigningIdentities.Resolve(Environment(("GITHUB_ACTIONS", "true")));

        Assert.Null(laptop.Identity);
        Assert.Equal("no signing identity", laptop.Reason);
        Assert.Null(actions.Identity);
        Assert.StartsWith("no signing identity", actions.Reason, StringComparison.Ordinal);
        Assert.Contains("id-token: write", actions.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_identity_never_prints_its_secrets()
    {
        var key = new SigningIdentity.Key("-----BEGIN KEY-----", "pw-secret");

        Assert.DoesNotContain("BEGIN KEY", key.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("pw-secret", key.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN KEY", new SigningIdentityResolution(key, "r").ToString(), StringComparison.Ordinal);
    }
}
