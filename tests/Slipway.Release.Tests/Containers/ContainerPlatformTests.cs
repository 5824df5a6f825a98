using Slipway.Release.Containers;

namespace Slipway.Release.Tests.Containers;

public sealed class ContainerPlatformTests
{
    [Theory]
    [InlineData("linux/amd64", "linux-x64", "amd64")]
    [InlineData("linux-x64", "linux-x64", "amd64")]
    [InlineData("linux/arm64", "linux-arm64", "arm64")]
    [InlineData(" linux/arm64/v8 ", "linux-arm64", "arm64")]
    public void Platforms_map_to_runtime_identifiers_and_debian_architectures(string text, string rid, string debian)
    {
        var platform = ContainerPlatform.Parse(text);

        Assert.Equal(rid, platform.RuntimeIdentifier);
        Assert.Equal(debian, platform.DebianArchitecture);
    }

    [Fact]
    public void A_list_parses_in_order_without_duplicates_and_an_unknown_platform_names_the_supported_ones()
    {
        Assert.Equal([ContainerPlatform.LinuxArm64, ContainerPlatform.LinuxAmd64], ContainerPlatform.ParseList("linux/arm64, linux/amd64,linux-arm64"));
        Assert.Equal("linux/amd64", ContainerPlatform.Default[0].ToString());

        var error = Assert.Throws<FormatException>(() => ContainerPlatform.Parse("windows/amd64"));

        Assert.Contains("linux/amd64, linux/arm64", error.Message, StringComparison.Ordinal);
    }
}
