using Slipway.Secrets;

namespace Slipway.Tests;

public sealed class SecretRegistryTests
{
    [Fact]
    public void Every_occurrence_is_masked_and_a_longer_secret_wins_over_its_prefix()
    {
        var secrets = new SecretRegistry();
        secrets.Register("abc");
        secrets.Register("abcdef");

        Assert.Equal("x *** y *** z", secrets.Redact("x abcdef y abc z"));
    }

    [Fact]
    public void Each_new_secret_is_announced_once()
    {
        var secrets = new SecretRegistry();
        var announced = new List<string>();
        secrets.Registered += announced.Add;
        secrets.Register("token");
        secrets.Register("token");
        secrets.Register("");
        secrets.Register(null);

        Assert.Equal(["token"], announced);
    }
}
