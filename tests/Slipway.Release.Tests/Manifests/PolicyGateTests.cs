using Slipway.Release.Manifests;

namespace Slipway.Release.Tests.Manifests;

public sealed class PolicyGateTests
{
    private const string Container = "spec.template.spec.containers[0]";
    private const string Pod = "spec.template.spec";

    [Fact]
    public void Hardened_render_passes_every_rule()
    {
        var report = Evaluate(HardenedRender.Yaml);

        Assert.True(report.Passed);
        Assert.Empty(report.Findings);
    }

    [Theory]
    // SLW001 run as non-root
    [InlineData("    runAsNonRoot: true\n", "    runAsNonRoot: false\n", "SLW001", Pod + ".securityContext.runAsNonRoot")]
    [InlineData("runAsUser: 10001", "runAsUser: 0", "SLW001", Pod + ".securityContext.runAsUser")]
    [InlineData("\n        runAsUser: 10001", "", "SLW001", Container + ".securityContext.runAsUser")]
    [InlineData("allowPrivilegeEscalation: false\n", "allowPrivilegeEscalation: false\n            runAsUser: 0\n", "SLW001", Container + ".securityContext.runAsUser")]
    // SLW002..SLW005 container security context
    [InlineData("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true", "SLW002", Container + ".securityContext.allowPrivilegeEscalation")]
    [InlineData("allowPrivilegeEscalation: false\n", "allowPrivilegeEscalation: false\n            privileged: true\n", "SLW003", Container + ".securityContext.privileged")]
    [InlineData("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", "SLW004", Container + ".securityContext.readOnlyRootFilesystem")]
    [InlineData("drop: [ALL]", "drop: [NET_RAW]", "SLW005", Container + ".securityContext.capabilities.drop")]
    // SLW006 resources
    [InlineData("\n              cpu: 50m", "", "SLW006", Container + ".resources.requests.cpu")]
    [InlineData("\n              memory: 64Mi", "", "SLW006", Container + ".resources.requests.memory")]
    [InlineData("limits:\n              memory: 128Mi", "limits: {}", "SLW006", Container + ".resources.limits.memory")]
    // SLW007/SLW008 probes present, on a declared port (by name or number)
    [InlineData("\n          livenessProbe:\n            httpGet:\n              path: /healthz\n              port: http", "", "SLW007", Container + ".livenessProbe")]
    [InlineData("port: http\n          readinessProbe", "port: metrics\n          readinessProbe", "SLW007", Container + ".livenessProbe.httpGet.port")]
    [InlineData("port: 8080\n", "port: 9090\n", "SLW008", Container + ".readinessProbe.httpGet.port")]
    [InlineData("httpGet:\n              path: /ready\n              port: 8080", "tcpSocket:\n              port: admin", "SLW008", Container + ".readinessProbe.tcpSocket.port")]
    // SLW009 image pinned
    [InlineData("app:1.2.3", "app:latest", "SLW009", Container + ".image")]
    [InlineData("app:1.2.3", "app", "SLW009", Container + ".image")]
    [InlineData("image: registry.example:5000/team/app:1.2.3", "image: \"\"", "SLW009", Container + ".image")]
    // SLW010/SLW011 host access
    [InlineData("serviceAccountName: web\n", "serviceAccountName: web\n      hostNetwork: true\n", "SLW010", Pod + ".hostNetwork")]
    [InlineData("serviceAccountName: web\n", "serviceAccountName: web\n      hostPID: true\n", "SLW010", Pod + ".hostPID")]
    [InlineData("emptyDir: {}", "hostPath: {path: /var/run}", "SLW011", Pod + ".volumes[0].hostPath")]
    // SLW012 token automount: pod spec, its ServiceAccount, or an account outside the render
    [InlineData("automountServiceAccountToken: false", "automountServiceAccountToken: true", "SLW012", Pod + ".automountServiceAccountToken")]
    [InlineData("serviceAccountName: web\n", "serviceAccountName: other\n", "SLW012", Pod + ".automountServiceAccountToken")]
    [InlineData("serviceAccountName: web\n", "serviceAccountName: web\n      automountServiceAccountToken: true\n", "SLW012", Pod + ".automountServiceAccountToken")]
    // SLW013 seccomp
    [InlineData("type: RuntimeDefault", "type: Unconfined", "SLW013", Pod + ".securityContext.seccompProfile.type")]
    [InlineData("\n        seccompProfile:\n          type: RuntimeDefault", "", "SLW013", Container + ".securityContext.seccompProfile.type")]
    // SLW014 Service selector
    [InlineData("  selector:\n    app: web\n  ports", "  selector:\n    app: wbe\n  ports", "SLW014", "spec.selector")]
    // SLW015 plaintext secrets
    [InlineData("name: LOG_LEVEL\n              value: info", "name: DB_PASSWORD\n              value: hunter2", "SLW015", Container + ".env[0].value")]
    [InlineData("name: LOG_LEVEL\n              value: info", "name: Stripe_Api_Key\n              value: sk_live", "SLW015", Container + ".env[0].value")]
    public void Breaking_one_thing_fails_exactly_its_rule_at_its_path(string find, string replace, string ruleId, string fieldPath)
    {
        var report = Evaluate(HardenedRender.With(find, replace));

        var finding = Assert.Single(report.Findings);
        Assert.Equal((ruleId, fieldPath), (finding.Rule.Id, finding.FieldPath));
        Assert.False(report.Passed);
    }

    [Fact]
    public void Finding_names_file_object_container_path_rule_and_fix()
    {
        var finding = Assert.Single(Evaluate(HardenedRender.With("app:1.2.3", "app:latest")).Findings);

        Assert.Equal(
            "app/templates/deployment.yaml: Deployment/web container 'app': SLW009 Image pinned by tag or digest: "
            + "spec.template.spec.containers[0].image: image 'registry.example:5000/team/app:latest' uses the latest tag. "
            + "Fix: use an explicit version tag or, better, a digest (image@sha256:...); never latest or no tag",
            finding.ToString());
    }

    [Theory]
    [InlineData("app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("app:1.2.3@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Image_pinned_by_digest_passes(string image)
    {
        Assert.Empty(Evaluate(HardenedRender.With("app:1.2.3", image)).Findings);
    }

    [Fact]
    public void Secret_env_taken_from_a_secret_passes()
    {
        var render = HardenedRender.With(
            "name: LOG_LEVEL\n              value: info",
            "name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: db, key: password}");

        Assert.Empty(Evaluate(render).Findings);
    }

    [Fact]
    public void Container_level_settings_override_the_pod()
    {
        var render = HardenedRender.With("allowPrivilegeEscalation: false\n", "allowPrivilegeEscalation: false\n            runAsNonRoot: false\n");

        var finding = Assert.Single(Evaluate(render).Findings);
        Assert.Equal(Container + ".securityContext.runAsNonRoot", finding.FieldPath);
    }

    [Fact]
    public void Init_containers_are_checked_but_need_no_probes()
    {
        var render = HardenedRender.With("      containers:\n", """
                  initContainers:
                    - name: migrate
                      image: registry.example:5000/team/migrate:latest
                      securityContext:
                        allowPrivilegeEscalation: false
                        readOnlyRootFilesystem: true
                        capabilities:
                          drop: [ALL]
                      resources:
                        requests: {cpu: 10m, memory: 16Mi}
                        limits: {memory: 32Mi}
                  containers:

            """);

        var finding = Assert.Single(Evaluate(render).Findings);
        Assert.Equal(("SLW009", "migrate", "spec.template.spec.initContainers[0].image"), (finding.Rule.Id, finding.Container, finding.FieldPath));
    }

    [Theory]
    [InlineData("CronJob", "batch/v1", "spec:\n  schedule: '@daily'\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {app: job}}\n        spec:\n", "spec.jobTemplate.spec.template.spec")]
    [InlineData("Job", "batch/v1", "spec:\n  template:\n    metadata: {labels: {app: job}}\n    spec:\n", "spec.template.spec")]
    [InlineData("DaemonSet", "apps/v1", "spec:\n  selector: {matchLabels: {app: job}}\n  template:\n    metadata: {labels: {app: job}}\n    spec:\n", "spec.template.spec")]
    [InlineData("StatefulSet", "apps/v1", "spec:\n  selector: {matchLabels: {app: job}}\n  template:\n    metadata: {labels: {app: job}}\n    spec:\n", "spec.template.spec")]
    [InlineData("ReplicaSet", "apps/v1", "spec:\n  selector: {matchLabels: {app: job}}\n  template:\n    metadata: {labels: {app: job}}\n    spec:\n", "spec.template.spec")]
    [InlineData("Pod", "v1", "spec:\n", "spec")]
    public void Every_workload_kind_has_its_pod_template_checked(string kind, string apiVersion, string specHeader, string specPath)
    {
        // Indent the pod spec to sit under the header's last line.
        var indent = new string(' ', specHeader.TrimEnd('\n').Split('\n')[^1].TakeWhile(c => c == ' ').Count() + 2);
        var podSpec = string.Join("\n", new[] { "containers:", "  - name: job", "    image: busybox:latest", "restartPolicy: Never" }.Select(line => indent + line));
        var yaml = $"apiVersion: {apiVersion}\nkind: {kind}\nmetadata:\n  name: job\n{specHeader}{podSpec}\n";

        var report = Evaluate(yaml);

        Assert.Contains(report.Findings, finding => finding.Rule.Id == "SLW009" && finding.FieldPath == $"{specPath}.containers[0].image");
        Assert.Contains(report.Findings, finding => finding.Rule.Id == "SLW012" && finding.Object == $"{kind}/job");
    }

    [Fact]
    public void Exemption_with_a_reason_keeps_the_finding_but_does_not_block()
    {
        var render = HardenedRender.With("kind: Deployment\nmetadata:\n  name: web\n", "kind: Deployment\nmetadata:\n  name: web\n  annotations:\n    slipway.dev/exempt-SLW004: \"nginx writes its pid file to /run\"\n")
            .Replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", StringComparison.Ordinal);

        var report = Evaluate(render);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(("SLW004", "nginx writes its pid file to /run"), (finding.Rule.Id, finding.ExemptionReason));
        Assert.True(report.Passed);
    }

    [Theory]
    [InlineData("slipway.dev/exempt-SLW004: \"\"", "the exemption gives no reason")]
    [InlineData("slipway.dev/exempt-SLW004: \"  \"", "the exemption gives no reason")]
    [InlineData("slipway.dev/exempt-SLW999: \"typo\"", "'SLW999' is not an exemptible rule")]
    [InlineData("slipway.dev/exempt-SLW016: \"sneaky\"", "'SLW016' is not an exemptible rule")]
    public void Invalid_exemption_is_itself_an_error_and_exempts_nothing(string annotation, string message)
    {
        var render = HardenedRender.With("kind: Deployment\nmetadata:\n  name: web\n", $"kind: Deployment\nmetadata:\n  name: web\n  annotations:\n    {annotation}\n")
            .Replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", StringComparison.Ordinal);

        var report = Evaluate(render);

        Assert.False(report.Passed);
        var invalid = Assert.Single(report.Findings, finding => finding.Rule.Id == "SLW016");
        Assert.Equal(message, invalid.Message);
        Assert.StartsWith("metadata.annotations.slipway.dev/exempt-", invalid.FieldPath);
        Assert.Contains(report.Blocking, finding => finding.Rule.Id == "SLW004");
    }

    [Fact]
    public void Exemption_for_a_rule_that_passes_is_a_warning()
    {
        var render = HardenedRender.With("kind: Deployment\nmetadata:\n  name: web\n", "kind: Deployment\nmetadata:\n  name: web\n  annotations:\n    slipway.dev/exempt-SLW004: \"was needed once\"\n");

        var report = Evaluate(render);

        var stale = Assert.Single(report.Findings);
        Assert.Equal(("SLW017", PolicySeverity.Warning), (stale.Rule.Id, stale.Rule.Severity));
        Assert.True(report.Passed);
    }

    [Fact]
    public void Service_exemption_applies_to_its_selector_rule()
    {
        var render = HardenedRender.With("kind: Service\nmetadata:\n  name: web\n", "kind: Service\nmetadata:\n  name: web\n  annotations:\n    slipway.dev/exempt-SLW014: \"pods come from another release\"\n")
            .Replace("    app: web\n  ports", "    app: other\n  ports", StringComparison.Ordinal);

        var finding = Assert.Single(Evaluate(render).Findings);
        Assert.Equal(("SLW014", "Service/web"), (finding.Rule.Id, finding.Object));
        Assert.NotNull(finding.ExemptionReason);
    }

    [Fact]
    public void Rule_ids_are_unique_and_every_rule_says_how_to_fix_it()
    {
        Assert.Equal(PolicyRules.All.Count, PolicyRules.All.Select(rule => rule.Id).Distinct().Count());
        Assert.All(PolicyRules.All, rule => Assert.False(string.IsNullOrWhiteSpace(rule.Fix)));
    }

    [Fact]
    public void A_render_with_an_object_it_cannot_read_never_passes_and_the_failure_names_that_object_and_why()
    {
        var validation = ManifestValidator.Validate(HardenedRender.With("readOnlyRootFilesystem: true", "readOnlyRootFilesytem: true"), "render");

        var refusal = Assert.Throws<InvalidOperationException>(() => PolicyGate.Evaluate(validation));

        Assert.Contains("app/templates/deployment.yaml", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Deployment/web", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("readOnlyRootFilesytem", refusal.Message, StringComparison.Ordinal);
    }

    private static PolicyReport Evaluate(string yaml)
    {
        var validation = ManifestValidator.Validate(yaml, "render");
        Assert.True(validation.IsValid, string.Join("\n", validation.Problems));
        return PolicyGate.Evaluate(validation);
    }
}
