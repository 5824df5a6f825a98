using Slipway.Release.Oci;

namespace Slipway.Release.Tests.Oci;

public sealed class OciReferenceTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("ghcr.io/owner/charts/demo:1.2.3", "ghcr.io", "owner/charts/demo", "1.2.3", null)]
    [InlineData("oci://127.0.0.1:5000/charts/app:0.1.0-ci.3.g0123456", "127.0.0.1:5000", "charts/app", "0.1.0-ci.3.g0123456", null)]
    [InlineData("localhost:5000/app@" + Digest, "localhost:5000", "app", null, Digest)]
    [InlineData("registry.example.com/a/b:v1@" + Digest, "registry.example.com", "a/b", "v1", Digest)]
    [InlineData("[::1]:5000/app:1", "[::1]:5000", "app", "1", null)]
    public void Parses_host_repository_tag_and_digest(string text, string registry, string repository, string? tag, string? digest)
    {
        var reference = OciReference.Parse(text);

        Assert.Equal((registry, repository, tag, digest), (reference.Registry, reference.Repository, reference.Tag, reference.Digest));
        Assert.Equal(digest ?? tag, reference.Reference);
        Assert.Equal(text.Replace("oci://", string.Empty, StringComparison.Ordinal), reference.ToString());
    }

    [Theory]
    [InlineData("owner/app:1", "registry host")]
    [InlineData("app:1", "registry host")]
    [InlineData("ghcr.io/owner/app", "no tag or digest")]
    [InlineData("ghcr.io/Owner/app:1", "repository 'Owner/app'")]
    [InlineData("ghcr.io/owner/app:-bad", "tag '-bad'")]
    [InlineData("ghcr.io/owner/app@sha256:abc", "digest 'sha256:abc'")]
    [InlineData("ghcr.io/owner/app@md5:0123456789abcdef0123456789abcdef", "digest")]
    public void Rejects_malformed_references_naming_the_bad_part(string text, string expected)
    {
        Assert.False(OciReference.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("127.8.9.10", "http://127.8.9.10/")]
    [InlineData("localhost:5000", "http://localhost:5000/")]
    [InlineData("[::1]:5000", "http://[::1]:5000/")]
    [InlineData("ghcr.io", "https://ghcr.io/")]
    [InlineData("10.0.0.1:5000", "https://10.0.0.1:5000/")]
    [InlineData("localhost.example.com", "https://localhost.example.com/")]
    public void Uses_plain_http_only_for_loopback_registries(string registry, string expected) =>
        Assert.Equal(expected, OciReference.BaseUriFor(registry).ToString());
}
