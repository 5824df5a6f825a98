namespace Slipway.Release.Signing;

/// <summary>How a release was signed.</summary>
public enum SigningMode
{
    /// <summary>Sigstore keyless: a short-lived Fulcio certificate for the CI's OIDC identity, logged in Rekor.</summary>
    Keyless,

    /// <summary>A cosign private key handed to the build as a secret.</summary>
    Key,
}

/// <summary>What signing did: every reference signed, or failed (and why). A run that does not sign skips the Sign target instead (see <see cref="SigningDecision"/>).</summary>
public abstract record SigningOutcome
{
    private SigningOutcome()
    {
    }

    /// <summary>Every reference is signed, each by digest.</summary>
    public sealed record Signed(IReadOnlyList<string> References, SigningMode Mode) : SigningOutcome
    {
        public bool Equals(Signed? other) => other is not null && Mode == other.Mode && References.SequenceEqual(other.References);

        public override int GetHashCode() => HashCode.Combine(Mode, References.Count);
    }

    public sealed record Failed(string Reason) : SigningOutcome;
}
