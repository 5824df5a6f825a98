using Slipway.Release.Oci;
using Slipway.Release.Registry;
using Slipway.Release.Signing;

namespace Slipway.Release.Tests.Signing;

/// <summary>Sign, skip with the resolver's precise reason, or refuse: from the identity found and whether the run must sign.</summary>
public sealed class SigningDecisionTests
{
    private static readonly SigningIdentityResolution Laptop = SigningIdentities.Resolve(new Dictionary<string, string?>());
    private static readonly SigningIdentityResolution ActionsWithoutOidc = SigningIdentities.Resolve(new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true" });
    private static readonly PublishDestination Ghcr = new("ghcr.io/acme", new RegistryCredentials("releaser", "token"), Embedded: false);
    private static readonly PublishDestination Embedded = new("127.0.0.1:5000", null, Embedded: true);

    private static PublishDestination NotAsked() => throw new InvalidOperationException("the destination was asked for, but is not needed to decide");

    [Fact]
    public void A_laptop_without_identity_skips_with_no_signing_identity_without_asking_for_the_destination()
    {
        var decision = SigningDecision.For(Laptop, requireSignature: null, ci: false, NotAsked);

        Assert.Equal(new SigningDecision.Skip("no signing identity"), decision);
        Assert.Equal("no signing identity", decision.SkipReason);
    }

    [Fact]
    public void Github_actions_without_an_oidc_token_skips_with_the_resolvers_precise_reason_when_publishing_to_loopback()
    {
        var decision = SigningDecision.For(ActionsWithoutOidc, requireSignature: null, ci: true, () => Embedded);

        Assert.Equal(ActionsWithoutOidc.Reason, decision.SkipReason);
        Assert.Contains("id-token: write", decision.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Ci_publishing_to_a_real_registry_must_sign_and_is_refused_with_the_precise_reason_and_why()
    {
        var decision = SigningDecision.For(ActionsWithoutOidc, requireSignature: null, ci: true, () => Ghcr);

        var refused = Assert.IsType<SigningDecision.Refuse>(decision);
        Assert.Null(decision.SkipReason);
        Assert.StartsWith(ActionsWithoutOidc.Reason + "; this run must sign (CI=true and publishing to ghcr.io)", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("--cosign-key", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Require_signature_decides_either_way_without_asking_for_the_destination()
    {
        var required = SigningDecision.For(Laptop, requireSignature: true, ci: false, NotAsked);
        var waived = SigningDecision.For(ActionsWithoutOidc, requireSignature: false, ci: true, NotAsked);

        Assert.StartsWith("no signing identity; this run must sign (--require-signature)", Assert.IsType<SigningDecision.Refuse>(required).Reason, StringComparison.Ordinal);
        Assert.Equal(ActionsWithoutOidc.Reason, waived.SkipReason);
    }

    [Fact]
    public void An_identity_signs_whatever_else_holds()
    {
        var key = SigningIdentities.Resolve(new Dictionary<string, string?>(), privateKey: "pem");

        var decision = SigningDecision.For(key, requireSignature: true, ci: true, NotAsked);

        Assert.Equal(new SigningIdentity.Key("pem", null), Assert.IsType<SigningDecision.Sign>(decision).Identity);
        Assert.Null(decision.SkipReason);
    }

    [Fact]
    public void In_ci_before_the_destination_is_known_the_decision_cannot_be_made_yet()
    {
        var unknown = Assert.Throws<InvalidOperationException>(() => SigningDecision.For(Laptop, requireSignature: null, ci: true, NotAsked));

        Assert.Contains("destination was asked for", unknown.Message, StringComparison.Ordinal);
    }
}
