using Slipway.Release.Oci;
using Slipway.Release.Tests.Signing;

namespace Slipway.Release.Tests.Oci;

/// <summary>Transient or not, from what cosign and helm print when they fail (they exit 1 for everything).</summary>
public sealed class ToolOutputFaultsTests
{
    [Theory]
    [InlineData(FakeCosign.Rekor502, true)]
    [InlineData(FakeCosign.RegistryUnavailable, true)]
    [InlineData("Error: signing: getting signer: getting key from Fulcio: retrieving cert: POST https://fulcio.sigstore.dev/api/v2/signingCert: 503 Service Unavailable", true)]
    [InlineData("Error: uploading to rekor: Post \"https://rekor.sigstore.dev/api/v1/log/entries\": net/http: TLS handshake timeout", true)]
    [InlineData("Error: PUT https://ghcr.io/v2/acme/demo/manifests/sha256-x.sig: read tcp 10.0.0.1:443: connection reset by peer", true)]
    [InlineData("Error: failed to do request: Head \"http://127.0.0.1:5000/v2/charts/app/manifests/1.0.0\": EOF unexpected EOF", true)]
    [InlineData("Error: GET https://ghcr.io/token: 429 Too Many Requests", true)]
    [InlineData("Error: getting key from Fulcio: retrieving cert: 401 Unauthorized: invalid identity token", false)]
    [InlineData(FakeCosign.Unauthorized, false)]
    [InlineData("Error: parsing reference: could not parse reference: ghcr.io/acme/demo@sha256:555", false)]
    [InlineData("Error: no matching signatures: none of the expected identities matched what was in the certificate, got subjects [x] with issuer y (after a 503 retry)", false)]
    [InlineData("Error: no matching attestations: failed to verify certificate identity: no matching CertificateIdentity found, last error: expected SAN value \"a\", got \"b\"", false)]
    [InlineData("Error: no signatures found", false)]
    [InlineData("Error: dial tcp 127.0.0.1:9: connect: connection refused", false)]
    public void Classifies(string output, bool transient) =>
        Assert.Equal(transient, ToolOutputFaults.Classify(output) is not null);

    [Fact]
    public void The_reason_quotes_the_words_that_made_it_transient() =>
        Assert.Equal("'connection reset' in its output", ToolOutputFaults.Classify("read tcp 10.0.0.1:443: connection reset by peer")!.Reason);

    [Fact]
    public void A_five_hundred_inside_a_digest_address_or_version_is_no_server_error() =>
        Assert.Null(ToolOutputFaults.Classify("Error: invalid reference 10.0.0.500:5000/app@sha256:5005005005005005005005005005005005005005005005005005005005005005 v1.500.2"));
}
