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
        /// <summary>Every manifest the signatures cover, by digest: each reference, and for a recursive one, every manifest of its index.</summary>
        public IReadOnlyList<string> Covered { get; init; } = [];

        /// <summary>The cosign that signed, whose version decides where the signatures are stored.</summary>
        public CosignVersion Cosign { get; init; } = new(null);

        public bool Equals(Signed? other) => other is not null && Mode == other.Mode && References.SequenceEqual(other.References) && Covered.SequenceEqual(other.Covered);

        public override int GetHashCode() => HashCode.Combine(Mode, References.Count);
    }

    public sealed record Failed(string Reason) : SigningOutcome;
}
