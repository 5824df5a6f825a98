using Slipway.Workflows.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Tests.Workflows;

public sealed class YamlWriterTests
{
    public static TheoryData<string> Tricky => new()
    {
        "plain text", "yes", "No", "on", "OFF", "y", "true", "null", "~", "0", "017", "1.5", "-1", ".5", "1:30", "0x1F", ".inf",
        "a: b", "key:", "x #y", "#comment", "*alias", "&anchor", "!tag", "- item", "? key", "[flow]", "{flow}", "'quoted'",
        "\"double\"", "%directive", "@at", "`tick", "|block", ">folded", " leading", "trailing ", "it's", "tab\there", "",
        "${{ github.event.pull_request.number || github.ref }}", "v*", "0 4 * * 1", "ghcr.io/${GITHUB_REPOSITORY_OWNER,,}",
        "exec ./build.sh Ci", "multi\nline\n", "no final newline\nhere", "kept\n\n\n", " indented first\nline\n",
    };

    [Theory]
    [MemberData(nameof(Tricky))]
    public void A_string_reads_back_as_the_same_string_and_is_plain_only_when_no_yaml_reader_could_take_it_for_something_else(string text)
    {
        var yaml = YamlWriter.Write(new YamlMapping().Add("key", text), []);

        var value = (YamlScalarNode)Parse(yaml).Children[new YamlScalarNode("key")];
        Assert.Equal(text, value.Value);
        if (value.Style == ScalarStyle.Plain)
            Assert.Matches(@"^(plain text|exec \./build\.sh Ci|it's|v\*|\$\{\{ .* \}\}|ghcr\.io/.*)$", text);
    }

    [Fact]
    public void Keys_keep_their_order_comments_are_written_and_sequences_of_mappings_put_their_comments_above_the_dash()
    {
        var document = new YamlMapping()
            .Add("zeta", new YamlMapping().Add("b", "b1").Add("a", YamlScalar.Number(2)), "about zeta")
            .Add("alpha", new YamlSequence([new YamlMapping().Add("uses", YamlScalar.String("a/b@sha", comment: "v1"), "why").Add("with", new YamlMapping())]))
            .Add("flags", new YamlSequence([YamlScalar.String("main"), YamlScalar.String("v*")]))
            .Add("event", new YamlNull());

        var yaml = YamlWriter.Write(document, ["generated"]);

        Assert.Equal(
            "# generated\n\n# about zeta\nzeta:\n  b: b1\n  a: 2\n\nalpha:\n  # why\n  - uses: a/b@sha # v1\n    with: {}\n\nflags: [main, v*]\n\nevent:\n",
            yaml);
        var root = Parse(yaml);
        Assert.Equal(["zeta", "alpha", "flags", "event"], root.Children.Keys.Select(key => ((YamlScalarNode)key).Value));
    }

    [Fact]
    public void A_key_that_is_not_a_plain_name_is_refused_rather_than_written_wrong()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => YamlWriter.Write(new YamlMapping().Add("bad key: x", "v"), []));
        Assert.Contains("'bad key: x' is not a valid key", exception.Message);
    }

    private static YamlMappingNode Parse(string yaml) => YamlNodePaths.ParseYaml(yaml);
}
