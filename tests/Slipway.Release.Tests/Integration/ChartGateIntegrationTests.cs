using Slipway.Release.Helm;
using Slipway.Release.Manifests;

namespace Slipway.Release.Tests.Integration;

/// <summary>The chart gates end to end with the real helm: lint, render, strict validation and policy, and what each catches.</summary>
[Trait("Category", "Integration")]
[Collection(RealHelmCollection.Name)]
public sealed class ChartGateIntegrationTests(RealHelm helm) : IDisposable
{
    private const string Release = "rel";
    private const string DeploymentFile = "probe/templates/deployment.yaml";

    private readonly TempDirectory _work = new();

    [Theory]
    [MemberData(nameof(HelmLines.Both), MemberType = typeof(HelmLines))]
    public async Task Hardened_chart_passes_lint_render_validation_and_policy(string helmLine)
    {
        var chart = ThrowawayChart.Create(_work.Path);
        var cli = Cli(helmLine);

        await cli.LintAsync(chart, [], strict: true);
        var rendered = await cli.TemplateAsync(chart, Release, kubeVersion: "1.30.0");
        var validation = ManifestValidator.Validate(rendered, "default values", new Version(1, 30));
        var policy = PolicyGate.Evaluate(validation.Objects);

        Assert.True(validation.IsValid, string.Join("\n", validation.Problems));
        Assert.Equal(["ServiceAccount/rel-probe", "Service/rel-probe", "Deployment/rel-probe"], validation.Objects.Select(entry => entry.DisplayName));
        Assert.Equal(DeploymentFile, validation.Objects[2].File);
        Assert.Empty(policy.Findings);
    }

    [Fact]
    public async Task Typoed_field_fails_validation_naming_object_and_field()
    {
        var chart = ThrowawayChart.Create(_work.Path, ThrowawayChart.Replace("deployment.yaml", "securityContext:\n            allowPrivilegeEscalation", "securityContex:\n            allowPrivilegeEscalation"));

        var validation = ManifestValidator.Validate(await Cli().TemplateAsync(chart, Release), "default values");

        var problem = Assert.Single(validation.Problems);
        Assert.Equal((DeploymentFile, "Deployment/rel-probe", "spec.template.spec.containers[0].securityContex"), (problem.File, problem.Object, problem.Field));
        Assert.Contains("securityContex", problem.ToString());
    }

    [Fact]
    public async Task Root_user_from_a_values_case_fails_policy()
    {
        var chart = ThrowawayChart.Create(_work.Path);
        var rootCase = WriteValues("root.yaml", "podSecurityContext:\n  runAsNonRoot: false\n  runAsUser: 0\n  seccompProfile:\n    type: RuntimeDefault\n");

        var findings = await PolicyFindingsAsync(chart, rootCase);

        Assert.Equal(
            ["SLW001 spec.template.spec.securityContext.runAsNonRoot", "SLW001 spec.template.spec.securityContext.runAsUser"],
            findings.Select(finding => $"{finding.Rule.Id} {finding.FieldPath}"));
        Assert.All(findings, finding => Assert.Equal(("Deployment/rel-probe", "probe"), (finding.Object, finding.Container)));
    }

    [Fact]
    public async Task Latest_image_fails_policy()
    {
        var chart = ThrowawayChart.Create(_work.Path);

        var finding = Assert.Single(await PolicyFindingsAsync(chart, WriteValues("latest.yaml", "image:\n  tag: latest\n")));

        Assert.Equal(("SLW009", "spec.template.spec.containers[0].image"), (finding.Rule.Id, finding.FieldPath));
        Assert.Contains("registry.example/team/probe:latest", finding.Message);
    }

    [Fact]
    public async Task Probe_on_a_port_the_container_lacks_fails_policy()
    {
        var chart = ThrowawayChart.Create(_work.Path, ThrowawayChart.Replace("deployment.yaml", "path: /ready\n              port: http", "path: /ready\n              port: 9090"));

        var finding = Assert.Single(await PolicyFindingsAsync(chart));

        Assert.Equal(("SLW008", "spec.template.spec.containers[0].readinessProbe.httpGet.port"), (finding.Rule.Id, finding.FieldPath));
        Assert.Contains("port '9090' is not among the container's ports (8080/http)", finding.Message);
    }

    [Fact]
    public async Task Service_selector_that_matches_nothing_fails_policy()
    {
        var chart = ThrowawayChart.Create(_work.Path, ThrowawayChart.Replace("service.yaml", "app.kubernetes.io/name: probe", "app.kubernetes.io/name: prob"));

        var finding = Assert.Single(await PolicyFindingsAsync(chart));

        Assert.Equal(("SLW014", "Service/rel-probe", "probe/templates/service.yaml", "spec.selector"), (finding.Rule.Id, finding.Object, finding.File, finding.FieldPath));
    }

    [Theory]
    [MemberData(nameof(HelmLines.Both), MemberType = typeof(HelmLines))]
    public async Task Values_that_break_the_schema_fail_with_helms_schema_error(string helmLine)
    {
        var chart = ThrowawayChart.Create(_work.Path);

        var failure = await Assert.ThrowsAsync<HelmException>(() => Cli(helmLine).TemplateAsync(chart, Release, WriteValues("bad.yaml", "replicaCount: two\n")));

        Assert.True(HelmSchemaErrors.Parse(failure.Message).Names(ValuesPath.Root.Child("replicaCount")), failure.Message);
        Assert.Contains("schema", failure.Message);
    }

    [Theory]
    [MemberData(nameof(HelmLines.Both), MemberType = typeof(HelmLines))]
    public async Task Broken_template_fails_strict_lint_with_helms_message(string helmLine)
    {
        var chart = ThrowawayChart.Create(_work.Path, ThrowawayChart.Replace("service.yaml", "{{ .Release.Name }}-probe", "{{ .Release.Name -probe"));

        var failure = await Assert.ThrowsAsync<HelmException>(() => Cli(helmLine).LintAsync(chart, [], strict: true));

        Assert.Contains("[ERROR]", failure.Message);
        Assert.Contains("service.yaml", failure.Message);
    }

    [Theory]
    [MemberData(nameof(HelmLines.Both), MemberType = typeof(HelmLines))]
    public async Task Package_writes_the_chart_archive(string helmLine)
    {
        var chart = ThrowawayChart.Create(_work.Path);

        var package = await Cli(helmLine).PackageAsync(chart, _work.Combine("out"));

        Assert.Equal(_work.Combine("out", "probe-0.1.0.tgz"), package);
        Assert.True(File.Exists(package));
    }

    [Theory]
    [MemberData(nameof(HelmLines.Both), MemberType = typeof(HelmLines))]
    public async Task Strict_lint_takes_the_versions_slipway_stamps_on_both_lines(string helmLine)
    {
        foreach (var version in new[] { "1.2.3", "0.1.1-ci.12.g0123abc", "0.1.1-pr.42.3.g0a1b2c3" })
            await Cli(helmLine).LintAsync(ThrowawayChart.Create(_work.Combine(version), version: version), [], strict: true);
    }

    [Theory]
    [InlineData(HelmLines.Helm3, false)]
    [InlineData(HelmLines.Helm4, true)]
    public async Task Only_helm_4s_strict_lint_refuses_a_version_that_is_not_strict_semver(string helmLine, bool refused)
    {
        var chart = ThrowawayChart.Create(_work.Path, version: "v0.1.0");

        var failure = await Record.ExceptionAsync(() => Cli(helmLine).LintAsync(chart, [], strict: true));

        Assert.Equal(refused, failure is HelmException);
        if (refused)
            Assert.Contains("version 'v0.1.0' is not a valid SemVerV2", failure!.Message);
    }

    public void Dispose() => _work.Dispose();

    private HelmCli Cli(string helmLine = HelmLines.Helm4) => helm.Cli(_work.Combine("helm-state"), helmLine);

    private string WriteValues(string name, string yaml)
    {
        var file = _work.Combine(name);
        File.WriteAllText(file, yaml);
        return file;
    }

    private async Task<IReadOnlyList<PolicyFinding>> PolicyFindingsAsync(string chart, string? valuesFile = null)
    {
        var rendered = await Cli().TemplateAsync(chart, Release, valuesFile);
        var validation = ManifestValidator.Validate(rendered, valuesFile ?? "default values");
        Assert.True(validation.IsValid, string.Join("\n", validation.Problems));
        return PolicyGate.Evaluate(validation.Objects).Findings;
    }
}
