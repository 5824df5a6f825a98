using Slipway.Text;

namespace Slipway.Tests;

public sealed class SuggestionsTests
{
    [Theory]
    [InlineData("Publsh", "Publish")]
    [InlineData("chartlint", "ChartLint")]
    [InlineData("Sing", "Sign")]
    public void The_closest_name_is_suggested(string typed, string expected) =>
        Assert.Equal(expected, Suggestions.Closest(typed, ["Publish", "ChartLint", "Sign", "Compile"]));

    [Fact]
    public void Nothing_is_suggested_when_nothing_is_close() =>
        Assert.Null(Suggestions.Closest("Deploy", ["Publish", "ChartLint"]));
}
