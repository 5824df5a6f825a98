using Slipway.Release.Helm;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.Helm;

/// <summary>Values paths read out of helm's schema errors, on what helm 3.10.1, 3.17.2 and 4.1.4 really print (SchemaErrorSamples/).</summary>
public sealed class HelmSchemaErrorsTests
{
    private static readonly string[] HelmVersions = ["3.10.1", "3.17.2", "4.1.4"];

    /// <summary>Each ci/invalid case of the shipped chart as captured, and the path its case file expects.</summary>
    public static TheoryData<string, string, string> ShippedCases()
    {
        (string Case, string Path)[] cases =
        [
            ("annotation-not-a-string", "podAnnotations.example.test/replicas"),
            ("auth-issuer-not-https", "auth.issuer"),
            ("auth-secret-without-issuer", "auth.issuer"),
            ("bad-cidr", "networkPolicy.ingressCidrs.0"),
            ("bad-digest", "image.digest"),
            ("empty-repository", "image.repository"),
            ("ingress-bad-host", "ingress.host"),
            ("ingress-without-host", "ingress.host"),
            ("latest-tag", "image.tag"),
            ("missing-memory-limit", "resources.limits.memory"),
            ("privileged-port", "containerPort"),
            ("replicas-string", "replicaCount"),
            ("replicas-zero", "replicaCount"),
            ("repository-with-tag", "image.repository"),
            ("serviceaccount-without-name", "serviceAccount.name"),
            ("tls-without-secret", "ingress.tls.secretName"),
            ("unknown-nested-key", "image.pullpolicy"),
            ("unknown-top-level-key", "replicas"),
        ];
        var data = new TheoryData<string, string, string>();
        foreach (var version in HelmVersions)
        {
            foreach (var (name, path) in cases)
                data.Add(version, name, path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedCases))]
    public void Every_case_names_its_path_whichever_helm_printed_it(string helmVersion, string sample, string expected)
    {
        var errors = HelmSchemaErrors.Parse(Sample(helmVersion, sample));

        Assert.True(errors.Names(Path(expected)), $"helm {helmVersion}, {sample}: {string.Join(", ", errors.Violations.Select(violation => violation.Path))}");
    }

    [Theory]
    [InlineData("3.10.1")]
    [InlineData("3.17.2")]
    [InlineData("4.1.4")]
    public void The_same_error_gives_the_same_paths_on_every_helm(string helmVersion)
    {
        var paths = HelmSchemaErrors.Parse(Sample(helmVersion, "edge-chart")).Violations.Select(violation => $"{violation.Chart}: {violation.Path}").ToHashSet();

        // 3.x prints the anyOf's own line at "choice" too, 4.x its causes below it; the paths named are the same.
        Assert.Equal(
            new HashSet<string> { "parent: limits.cpu", "parent: limits.memory", "parent: odd.it's~a/key", "parent: choice", "parent: choice.b", "child: port" },
            paths.Where(path => path != "parent: choice.a").ToHashSet());
    }

    [Fact]
    public void Json_pointers_are_unescaped_as_rfc_6901_says_after_gos_quoting()
    {
        var errors = HelmSchemaErrors.Parse(Sample("4.1.4", "edge-chart"));

        Assert.True(errors.Names(Path("odd.it's~a/key")));
        Assert.Equal(["cpu", "memory"], errors.Violations.Where(violation => violation.Path.Dotted.StartsWith("limits.", StringComparison.Ordinal)).Select(violation => violation.Path.Dotted[7..]).Order());
        // "~01" is the key "~1": ~1 is decoded before ~0.
        Assert.Equal("a~1b", ValuesPath.FromJsonPointer("/a~01b").Dotted);
        Assert.Equal(ValuesPath.Root, ValuesPath.FromJsonPointer(string.Empty));
    }

    [Fact]
    public void A_subcharts_violation_counts_under_the_subcharts_key_too()
    {
        var errors = HelmSchemaErrors.Parse(Sample("4.1.4", "edge-chart"));

        Assert.True(errors.Names(Path("child.port")));
        Assert.True(errors.Names(Path("port")));
        Assert.False(errors.Names(Path("parent.port")));
    }

    [Theory]
    [InlineData("3.17.2")]
    [InlineData("4.1.4")]
    public void An_unknown_key_is_named_by_its_own_path_not_by_the_object_holding_it(string helmVersion)
    {
        var errors = HelmSchemaErrors.Parse(Sample(helmVersion, "unknown-nested-key"));

        Assert.True(errors.Names(Path("image.pullpolicy")));
        Assert.False(errors.Names(Path("image")));
    }

    [Fact]
    public void Old_helms_summary_of_a_conditional_names_no_path_because_newer_helm_prints_none()
    {
        var errors = HelmSchemaErrors.Parse(Sample("3.17.2", "auth-secret-without-issuer"));

        Assert.Equal(["auth.issuer"], errors.Violations.Select(violation => violation.Path.Dotted));
        Assert.False(errors.Names(Path("auth")));
    }

    [Fact]
    public void A_failure_that_is_no_schema_error_names_nothing()
    {
        var errors = HelmSchemaErrors.Parse("helm template failed (exit 1):\nError: template: beacon/templates/service.yaml:3:4: executing \"x\" at <.Values.a.b>: nil pointer evaluating interface {}.b");

        Assert.Empty(errors.Violations);
        Assert.False(errors.Names(Path("a.b")));
    }

    [Fact]
    public void Helm_exceptions_wrap_the_output_and_the_paths_still_read()
    {
        var wrapped = "helm template failed (exit 1):\n" + Sample("4.1.4", "bad-cidr").Trim();

        Assert.True(HelmSchemaErrors.Parse(wrapped).Names(Path("networkPolicy.ingressCidrs.0")));
    }

    [Theory]
    [InlineData("image.tag", true)]
    [InlineData("podAnnotations.example.test/replicas", true)]
    [InlineData("networkPolicy.ingressCidrs.0", true)]
    [InlineData("image: Additional property pullpolicy", false)]
    [InlineData("/image/tag", false)]
    [InlineData("(root)", false)]
    [InlineData("image..tag", false)]
    [InlineData(".image", false)]
    [InlineData("", false)]
    public void Only_dotted_paths_are_expectations(string text, bool valid)
    {
        Assert.Equal(valid, ValuesPath.TryParse(text, out var path, out var problem));
        Assert.Equal(valid ? text : null, path?.Dotted);
        Assert.Equal(valid, problem is null);
    }

    private static ValuesPath Path(string dotted) => ValuesPath.TryParse(dotted, out var path, out var problem) ? path : throw new ArgumentException(problem);

    private static string Sample(string helmVersion, string name) =>
        File.ReadAllText(System.IO.Path.Combine(Repository.Root, "tests", "Slipway.Release.Tests", "Helm", "SchemaErrorSamples", $"helm-{helmVersion}", $"{name}.txt"));
}
