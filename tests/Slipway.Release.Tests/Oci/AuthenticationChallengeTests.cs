using Slipway.Release.Oci;

namespace Slipway.Release.Tests.Oci;

public sealed class AuthenticationChallengeTests
{
    [Fact]
    public void Parses_a_bearer_challenge_with_a_comma_inside_a_quoted_scope()
    {
        var challenge = Assert.Single(AuthenticationChallenge.ParseAll(
            "Bearer realm=\"https://ghcr.io/token\",service=\"ghcr.io\",scope=\"repository:owner/app:pull,push\""));

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://ghcr.io/token", challenge["realm"]);
        Assert.Equal("ghcr.io", challenge["service"]);
        Assert.Equal("repository:owner/app:pull,push", challenge["scope"]);
    }

    [Fact]
    public void Tolerates_spaces_unquoted_values_escapes_and_any_case()
    {
        var challenge = Assert.Single(AuthenticationChallenge.ParseAll("bearer  Realm = \"https://r.example/t?x=\\\"y\\\"\" , service=registry.example , error=insufficient_scope"));

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://r.example/t?x=\"y\"", challenge["realm"]);
        Assert.Equal("registry.example", challenge["service"]);
        Assert.Equal("insufficient_scope", challenge["error"]);
    }

    [Fact]
    public void Splits_several_challenges_in_one_header()
    {
        var challenges = AuthenticationChallenge.ParseAll("Basic realm=\"Registry Realm\", Bearer realm=\"https://auth.example/token\",service=\"x\"");

        Assert.Equal(["Basic", "Bearer"], challenges.Select(challenge => challenge.Scheme));
        Assert.True(challenges[0].IsBasic);
        Assert.Equal("Registry Realm", challenges[0]["realm"]);
        Assert.Equal("x", challenges[1]["service"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Bearer realm=\"unterminated")]
    [InlineData("Basic dXNlcjpwYXNz==")]
    [InlineData("=\"\"")]
    public void Never_throws_on_odd_headers(string header)
    {
        var challenges = AuthenticationChallenge.ParseAll(header);

        Assert.All(challenges, challenge => Assert.False(string.IsNullOrEmpty(challenge.Scheme)));
    }
}
