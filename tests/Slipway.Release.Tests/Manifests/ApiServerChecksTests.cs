using Slipway.Release.Manifests;

namespace Slipway.Release.Tests.Manifests;

/// <summary>Rendered objects that parse but that the API server refuses fail validation, naming the object, the field, the value and the fix.</summary>
public sealed class ApiServerChecksTests
{
    [Fact]
    public void The_hardened_render_passes()
    {
        var result = ManifestValidator.Validate(HardenedRender.Yaml, "render");

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
    }

    [Fact]
    public void A_selector_that_does_not_select_its_pod_template_names_both_and_the_labels_line()
    {
        var problem = Assert.Single(Problems(HardenedRender.With("matchLabels:\n      app: web", "matchLabels:\n      app: other")));

        Assert.Equal(("app/templates/deployment.yaml", "Deployment/web", "spec.template.metadata.labels"), (problem.File, problem.Object, problem.Field));
        Assert.Contains("labels app=web does not match spec.selector (matchLabels app=other)", problem.Message);
        Assert.Contains("Fix: give spec.template.metadata.labels every label the selector requires", problem.Message);
        Assert.Equal(Line(HardenedRender.Yaml, "        app: web"), problem.Line);
    }

    [Theory]
    [InlineData("{key: app, operator: In, values: [api]}", "matchExpressions app In (api)")]
    [InlineData("{key: app, operator: NotIn, values: [web]}", "matchExpressions app NotIn (web)")]
    [InlineData("{key: app, operator: DoesNotExist}", "matchExpressions app DoesNotExist ()")]
    [InlineData("{key: tier, operator: Exists}", "matchExpressions tier Exists ()")]
    public void Match_expressions_are_evaluated_as_the_API_server_does(string requirement, string described)
    {
        var yaml = HardenedRender.With("matchLabels:\n      app: web", $"matchExpressions:\n      - {requirement}");

        var problem = Assert.Single(Problems(yaml));

        Assert.Equal("spec.template.metadata.labels", problem.Field);
        Assert.Contains(described, problem.Message);
    }

    [Theory]
    [InlineData("{key: app, operator: In, values: [web, api]}")]
    [InlineData("{key: tier, operator: DoesNotExist}")]
    [InlineData("{key: app, operator: Exists}")]
    public void Match_expressions_that_select_the_template_pass(string requirement) =>
        Assert.Empty(Problems(HardenedRender.With("matchLabels:\n      app: web", $"matchExpressions:\n      - {requirement}")));

    [Theory]
    [InlineData("{key: app, operator: In}", "spec.selector.matchExpressions[0].values", "is empty; operator In needs at least one value")]
    [InlineData("{key: app, operator: Exists, values: [web]}", "spec.selector.matchExpressions[0].values", "[web] must be empty for operator Exists")]
    [InlineData("{key: app, operator: Equals, values: [web]}", "spec.selector.matchExpressions[0].operator", "'Equals' is not a selector operator")]
    public void Malformed_match_expressions_are_named(string requirement, string field, string message)
    {
        var problem = Assert.Single(Problems(HardenedRender.With("matchLabels:\n      app: web", $"matchExpressions:\n      - {requirement}")));

        Assert.Equal(field, problem.Field);
        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void A_workload_without_a_selector_is_refused()
    {
        var problem = Assert.Single(Problems(HardenedRender.With("  selector:\n    matchLabels:\n      app: web\n", "  selector: {}\n")));

        Assert.Equal("spec.selector", problem.Field);
        Assert.Contains("is empty; the API server requires a Deployment to select its pods", problem.Message);
    }

    [Fact]
    public void A_job_template_selector_is_checked_under_its_own_path()
    {
        var problem = Assert.Single(Problems(Workload("batch/v1", "CronJob", "report",
            "  schedule: \"0 * * * *\"\n  jobTemplate:\n    spec:\n      manualSelector: true\n      selector: {matchLabels: {job: report}}\n      template:\n        metadata: {labels: {job: other}}\n        spec:\n          restartPolicy: Never\n          containers: [{name: report, image: \"r:1\"}]\n")));

        Assert.Equal("spec.jobTemplate.spec.template.metadata.labels", problem.Field);
        Assert.Contains("does not match spec.jobTemplate.spec.selector (matchLabels job=report)", problem.Message);
    }

    [Theory]
    [InlineData("Service", "v1", "1-web", "DNS-1035 label", "x-1-web")]
    [InlineData("Service", "v1", "web.internal", "DNS-1035 label", "web-internal")]
    [InlineData("ConfigMap", "v1", "Web_Config", "DNS-1123 subdomain", "web-config")]
    [InlineData("Deployment", "apps/v1", "web..app", "DNS-1123 subdomain", null)]
    [InlineData("Role", "rbac.authorization.k8s.io/v1", "team/reader", "path segment", null)]
    public void An_object_name_the_API_server_refuses_for_its_kind_is_named_with_a_fix(string kind, string apiVersion, string name, string format, string? suggestion)
    {
        var problem = Assert.Single(Problems($"apiVersion: {apiVersion}\nkind: {kind}\nmetadata:\n  name: {name}\n"));

        Assert.Equal(($"{kind}/{name}", "metadata.name"), (problem.Object, problem.Field));
        Assert.Contains($"'{name}' is not valid as a {kind} name: it must be a {format}", problem.Message);
        Assert.Contains(suggestion is null ? "Fix: rename it" : $"Fix: rename it, e.g. '{suggestion}'", problem.Message);
    }

    [Theory]
    [InlineData("ConfigMap", "v1", "web.config")]
    [InlineData("Deployment", "apps/v1", "1-web")]
    [InlineData("Role", "rbac.authorization.k8s.io/v1", "system:web-reader")]
    public void Names_valid_for_their_kind_pass(string kind, string apiVersion, string name) =>
        Assert.Empty(Problems($"apiVersion: {apiVersion}\nkind: {kind}\nmetadata:\n  name: {name}\n"));

    [Fact]
    public void A_cronjob_name_longer_than_its_jobs_allow_is_refused()
    {
        var name = new string('a', 53);

        var problem = Assert.Single(Problems(Workload("batch/v1", "CronJob", name,
            "  schedule: \"0 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: report, image: \"r:1\"}]\n")));

        Assert.Equal("metadata.name", problem.Field);
        Assert.Contains("has 53 characters; a CronJob name may have at most 52", problem.Message);
    }

    [Fact]
    public void A_namespace_that_is_not_a_label_is_refused()
    {
        var problem = Assert.Single(Problems("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: Team_A\n"));

        Assert.Equal("metadata.namespace", problem.Field);
        Assert.Contains("'Team_A' is not valid as a namespace: it must be a DNS-1123 label", problem.Message);
        Assert.Contains("e.g. 'team-a'", problem.Message);
    }

    [Fact]
    public void An_invalid_container_name_is_named_with_its_path_value_and_a_fix()
    {
        var problem = Assert.Single(Problems(HardenedRender.With("- name: app\n", "- name: Web_App\n")));

        Assert.Equal(("Deployment/web", "spec.template.spec.containers[0].name"), (problem.Object, problem.Field));
        Assert.Contains("'Web_App' is not valid as a container name: it must be a DNS-1123 label", problem.Message);
        Assert.Contains("Fix: rename it, e.g. 'web-app'", problem.Message);
        Assert.Equal(Line(HardenedRender.Yaml, "- name: app"), problem.Line);
    }

    [Fact]
    public void Container_names_are_unique_across_init_and_app_containers()
    {
        var yaml = HardenedRender.With("      containers:\n", "      initContainers:\n        - name: app\n          image: registry.example:5000/team/init:1.0.0\n      containers:\n");

        var problem = Assert.Single(Problems(yaml));

        Assert.Equal("spec.template.spec.containers[0].name", problem.Field);
        Assert.Contains("'app' is also the name of spec.template.spec.initContainers[0]; container names must be unique in a pod", problem.Message);
    }

    [Theory]
    [InlineData("- name: http_port\n              containerPort: 8080", "ports[0].name", "'http_port' is not valid as a port name: it must be a port name (IANA service name)")]
    [InlineData("- name: metrics-endpoint1\n              containerPort: 8080", "ports[0].name", "at most 15 characters")]
    [InlineData("- name: http\n              containerPort: 70000", "ports[0].containerPort", "70000 is out of range: a port must be between 1 and 65535")]
    [InlineData("- name: http\n              containerPort: 0", "ports[0].containerPort", "0 is out of range")]
    [InlineData("- name: http\n              containerPort: 8080\n              hostPort: 65536", "ports[0].hostPort", "65536 is out of range")]
    [InlineData("- name: http\n              containerPort: 8080\n              protocol: HTTP", "ports[0].protocol", "'HTTP' is not a port protocol. Fix: use TCP, UDP or SCTP")]
    [InlineData("- name: http\n              containerPort: 8080\n            - name: http\n              containerPort: 9090", "ports[1].name", "'http' is also the name of spec.template.spec.containers[0].ports[0]; port names must be unique in a container")]
    public void Container_ports_are_checked_as_the_API_server_does(string ports, string field, string message)
    {
        var yaml = HardenedRender.With("- name: http\n              containerPort: 8080", ports).Replace("port: http\n", $"port: {(ports.Contains("name: http\n", StringComparison.Ordinal) ? "http" : "8080")}\n", StringComparison.Ordinal);

        var problem = Assert.Single(Problems(yaml));

        Assert.Equal($"spec.template.spec.containers[0].{field}", problem.Field);
        Assert.Contains(message, problem.Message);
    }

    [Theory]
    [InlineData("path: /healthz\n              port: http", "path: /healthz\n              port: 0", "livenessProbe.httpGet.port", "0 is out of range")]
    [InlineData("path: /ready\n              port: 8080", "path: /ready\n              port: web_port", "readinessProbe.httpGet.port", "'web_port' is not valid as a port name")]
    public void Probe_ports_are_numbers_in_range_or_port_names(string find, string replace, string field, string message)
    {
        var problem = Assert.Single(Problems(HardenedRender.With(find, replace)));

        Assert.Equal($"spec.template.spec.containers[0].{field}", problem.Field);
        Assert.Contains(message, problem.Message);
    }

    [Theory]
    [InlineData("    - port: 80\n      targetPort: http", "    - port: 70000\n      targetPort: http", "spec.ports[0].port", "70000 is out of range")]
    [InlineData("    - port: 80\n      targetPort: http", "    - port: 80\n      targetPort: 65536", "spec.ports[0].targetPort", "65536 is out of range")]
    [InlineData("    - port: 80\n      targetPort: http", "    - port: 80\n      targetPort: http\n      nodePort: 70000", "spec.ports[0].nodePort", "70000 is out of range")]
    [InlineData("    - port: 80\n      targetPort: http", "    - port: 80\n      targetPort: http\n    - port: 443\n      targetPort: http", "spec.ports[0].name", "a Service with more than one port must name each")]
    [InlineData("    - port: 80\n      targetPort: http", "    - name: web\n      port: 80\n      targetPort: http\n    - name: web\n      port: 443\n      targetPort: http", "spec.ports[1].name", "'web' is also the name of spec.ports[0]; Service port names must be unique")]
    [InlineData("    - port: 80\n      targetPort: http", "    - name: a\n      port: 80\n      targetPort: http\n    - name: b\n      port: 80\n      targetPort: http", "spec.ports[1].port", "80/TCP is also spec.ports[0]")]
    [InlineData("    - port: 80\n      targetPort: http", "    - name: Web\n      port: 80\n      targetPort: http", "spec.ports[0].name", "'Web' is not valid as a Service port name: it must be a DNS-1123 label")]
    public void Service_ports_are_checked_as_the_API_server_does(string find, string replace, string field, string message)
    {
        var problems = Problems(HardenedRender.With(find, replace));

        var problem = Assert.Single(problems, problem => problem.Field == field);
        Assert.Equal("Service/web", problem.Object);
        Assert.Contains(message, problem.Message);
    }

    private static IReadOnlyList<ManifestProblem> Problems(string yaml) => ManifestValidator.Validate(yaml, "render", new Version(1, 31)).Problems;

    private static string Workload(string apiVersion, string kind, string name, string spec) =>
        $"apiVersion: {apiVersion}\nkind: {kind}\nmetadata:\n  name: {name}\nspec:\n{spec}";

    private static int Line(string yaml, string text) => yaml[..yaml.IndexOf(text, StringComparison.Ordinal)].Count(c => c == '\n') + 1;
}
