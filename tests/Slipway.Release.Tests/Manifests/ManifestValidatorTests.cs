using k8s.Models;
using Slipway.Release.Manifests;

namespace Slipway.Release.Tests.Manifests;

public sealed class ManifestValidatorTests
{
    private const string Deployment = """
        ---
        # Source: app/templates/deployment.yaml
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
                - name: app
                  image: example/app:1.0.0
        """;

    [Fact]
    public void Valid_render_yields_typed_objects_with_their_source_file()
    {
        var service = """
            ---
            # Source: app/templates/service.yaml
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              selector: {app: web}
              ports: [{port: 80, targetPort: http}]
            """;

        var result = ManifestValidator.Validate(Deployment + "\n" + service, "render");

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Collection(
            result.Objects,
            deployment =>
            {
                Assert.IsType<V1Deployment>(deployment.Object);
                Assert.Equal("app/templates/deployment.yaml", deployment.File);
                Assert.Equal("Deployment/web", deployment.DisplayName);
            },
            svc => Assert.Equal(("app/templates/service.yaml", "Service/web"), (svc.File, svc.DisplayName)));
    }

    [Fact]
    public void Unknown_field_names_file_object_and_field_path()
    {
        var typo = Deployment.Replace("image: example/app:1.0.0", "image: example/app:1.0.0\n          securityContex:\n            runAsNonRoot: true");

        var problem = Assert.Single(ManifestValidator.Validate(typo, "render").Problems);

        Assert.Equal("app/templates/deployment.yaml", problem.File);
        Assert.Equal("Deployment/web", problem.Object);
        Assert.Equal("spec.template.spec.containers[0].securityContex", problem.Field);
        Assert.Contains("'securityContex' not found", problem.Message);
        Assert.Equal(17, problem.Line);
    }

    [Fact]
    public void Wrong_type_names_the_field()
    {
        var wrong = Deployment.Replace("spec:\n  selector:", "spec:\n  replicas: three\n  selector:");

        var problem = Assert.Single(ManifestValidator.Validate(wrong, "render").Problems);

        Assert.Equal("spec.replicas", problem.Field);
        Assert.Contains("three", problem.Message);
    }

    [Fact]
    public void Unknown_kind_is_rejected()
    {
        var widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n";

        var problem = Assert.Single(ManifestValidator.Validate(widget, "values/ci.yaml").Problems);

        Assert.Equal(("values/ci.yaml", "Widget/w", "apiVersion"), (problem.File, problem.Object, problem.Field));
        Assert.Contains("example.com/v1 Widget is not a known Kubernetes object type", problem.Message);
    }

    [Fact]
    public void List_kinds_are_not_installable_objects()
    {
        var problem = Assert.Single(ManifestValidator.Validate("apiVersion: v1\nkind: PodList\nmetadata: {}\nitems: []\n", "render").Problems);

        Assert.Contains("v1 PodList is not a known Kubernetes object type", problem.Message);
    }

    [Theory]
    [InlineData("batch/v1beta1", "CronJob", "1.25", "batch/v1")]
    [InlineData("policy/v1beta1", "PodDisruptionBudget", "1.25", "policy/v1")]
    [InlineData("policy/v1beta1", "PodSecurityPolicy", "1.25", "Pod Security Admission")]
    [InlineData("networking.k8s.io/v1beta1", "Ingress", "1.22", "networking.k8s.io/v1")]
    [InlineData("extensions/v1beta1", "Ingress", "1.22", "networking.k8s.io/v1")]
    [InlineData("extensions/v1beta1", "Deployment", "1.16", "apps/v1")]
    [InlineData("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.26", "autoscaling/v2")]
    [InlineData("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", "1.29", "flowcontrol.apiserver.k8s.io/v1")]
    public void Api_removed_in_target_version_is_named_with_its_replacement(string apiVersion, string kind, string removedIn, string replacement)
    {
        var yaml = $"apiVersion: {apiVersion}\nkind: {kind}\nmetadata:\n  name: old\n";

        var problem = Assert.Single(ManifestValidator.Validate(yaml, "render", new Version(1, 30)).Problems);

        Assert.Equal($"{kind}/old", problem.Object);
        Assert.Equal("apiVersion", problem.Field);
        Assert.Contains($"removed in Kubernetes {removedIn} (target 1.30); use {replacement}", problem.Message);
    }

    [Fact]
    public void Current_api_passes_the_removed_api_check()
    {
        var result = ManifestValidator.Validate(Deployment, "render", new Version(1, 30));

        Assert.True(result.IsValid);
    }

    [Fact]
    public void Empty_documents_from_disabled_templates_are_skipped()
    {
        var result = ManifestValidator.Validate("---\n# Source: app/templates/ingress.yaml\n" + Deployment, "render");

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Single(result.Objects);
    }

    [Fact]
    public void Every_bad_document_is_reported_not_only_the_first()
    {
        var result = ManifestValidator.Validate(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: {x: 1}\nbogus: 1\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\nstringdata: {}\n",
            "render");

        Assert.Equal(["ConfigMap/a: bogus", "Secret/b: stringdata"], result.Problems.Select(problem => $"{problem.Object}: {problem.Field}"));
    }
}
