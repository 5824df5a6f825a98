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
    public void Invalid_cases_without_a_values_schema_are_refused_as_exactly_that()
    {
        foreach (var name in new[] { "a", "b", "c", "d" })
            Write($"{name}.yaml", "# expect-error: replicaCount\nreplicaCount: x\n");

        var refused = Assert.Throws<InvalidDataException>(() => ChartCases.RequireSchemaFor(_chart.Path, ChartCases.Invalid(_chart.Path), "charts/app"));

        Assert.Equal(
            "charts/app has 4 ci/invalid case(s) (a, b, c and 1 more) but no values.schema.json, so nothing can reject them: helm checks values only against the chart's schema. " +
            "Next step: restore charts/app/values.schema.json (git checkout -- charts/app/values.schema.json), or delete charts/app/ci/invalid if the chart has no schema.",
            refused.Message);
        File.WriteAllText(_chart.Combine("values.schema.json"), "{}");
        ChartCases.RequireSchemaFor(_chart.Path, ChartCases.Invalid(_chart.Path), "charts/app");
        File.Delete(_chart.Combine("values.schema.json"));
        ChartCases.RequireSchemaFor(_chart.Path, [], "charts/app");
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
