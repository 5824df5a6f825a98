using Slipway.Release.Helm;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.Helm;

public sealed class ChartCasesTests : IDisposable
{
    private readonly TempDirectory _chart = new();

    public ChartCasesTests() => Directory.CreateDirectory(_chart.Combine("ci", "invalid"));

    public void Dispose() => _chart.Dispose();

    [Fact]
    public void An_invalid_case_carries_the_values_path_its_first_comment_names()
    {
        Write("unknown-key.yaml", "# expect-error: image.pullpolicy\n# A typo.\nimage:\n  pullpolicy: Always\n");

        var invalid = Assert.Single(ChartCases.Invalid(_chart.Path));

        Assert.Equal(("unknown-key", "image.pullpolicy"), (invalid.Name, invalid.ExpectedError.Dotted));
    }

    [Fact]
    public void An_expectation_copied_from_helms_message_is_refused_naming_the_file_and_what_to_write()
    {
        var file = Write("unknown-key.yaml", "# expect-error: image: Additional property pullpolicy\nimage:\n  pullpolicy: Always\n");

        var refused = Assert.Throws<InvalidDataException>(() => ChartCases.Invalid(_chart.Path));

        Assert.StartsWith($"{file}: '# expect-error: image: Additional property pullpolicy' is not a values path: it holds white space", refused.Message);
        Assert.Contains("the key's own path ('image.pullpolicy'", refused.Message);
    }

    [Fact]
    public void A_case_without_an_expectation_is_refused()
    {
        var file = Write("no-expectation.yaml", "replicaCount: 0\n");

        var refused = Assert.Throws<InvalidDataException>(() => ChartCases.Invalid(_chart.Path));

        Assert.StartsWith($"{file} has no '# expect-error: <path>' line", refused.Message);
    }

    private string Write(string name, string content)
    {
        var file = _chart.Combine("ci", "invalid", name);
        File.WriteAllText(file, content);
        return file;
    }
}
