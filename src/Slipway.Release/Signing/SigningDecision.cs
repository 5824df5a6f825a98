using Slipway.Release.Registry;

namespace Slipway.Release.Signing;

/// <summary>
/// Whether a run signs: with the identity it has; not at all, with the resolver's precise reason, when it has none and may go
/// unsigned (the Sign target is skipped with that reason: the one record of the skip); or it fails when it has none and must sign.
/// </summary>
public abstract record SigningDecision(string Reason)
{
    /// <summary>Sign with <paramref name="Identity"/>; <paramref name="Reason"/> says where it comes from.</summary>
    public sealed record Sign(SigningIdentity Identity, string Reason) : SigningDecision(Reason);

    /// <summary>No identity, and this run may go unsigned.</summary>
    public sealed record Skip(string Reason) : SigningDecision(Reason);

    /// <summary>No identity, but this run must sign: signing fails with <paramref name="Reason"/>.</summary>
    public sealed record Refuse(string Reason) : SigningDecision(Reason);

    /// <summary>Why the Sign target is skipped; null when it runs (to sign, or to fail because the run must sign).</summary>
    public string? SkipReason => this is Skip ? Reason : null;

    /// <summary>
    /// Decides from the identity found and whether the run must sign. <paramref name="destination"/> is asked for only when
    /// that depends on it (no identity, <c>--require-signature</c> unset, <c>CI=true</c>), so a plan can often decide before anything ran.
    /// </summary>
    /// <param name="requireSignature"><c>--require-signature</c>: true or false decide; unset, a publish from CI to a registry that is not loopback must sign.</param>
    public static SigningDecision For(SigningIdentityResolution resolution, bool? requireSignature, bool ci, Func<PublishDestination?> destination)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        ArgumentNullException.ThrowIfNull(destination);
        if (resolution.Identity is { } identity)
            return new Sign(identity, resolution.Reason);

        var reason = string.IsNullOrWhiteSpace(resolution.Reason) ? SigningIdentities.NoIdentity : resolution.Reason;
        return MustSignBecause(requireSignature, ci, destination) is { } mustSign
            ? new Refuse($"{reason}; this run must sign ({mustSign}): give --cosign-key, or run in GitHub Actions with 'id-token: write'")
            : new Skip(reason);
    }

    private static string? MustSignBecause(bool? requireSignature, bool ci, Func<PublishDestination?> destination) => requireSignature switch
    {
        true => "--require-signature",
        false => null,
        null when ci && destination() is { PlainHttp: false } real => $"CI=true and publishing to {real.Host}",
        null => null,
    };
}
