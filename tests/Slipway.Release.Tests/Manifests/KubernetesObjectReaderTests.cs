using System.Reflection;
using k8s;
using k8s.Models;
using Slipway.Release.Manifests;
using YamlDotNet.Core;

namespace Slipway.Release.Tests.Manifests;

/// <summary>The strict reader must read exactly what KubernetesClient's own strict reader reads, and refuse what it refuses.</summary>
public sealed class KubernetesObjectReaderTests
{
    public static TheoryData<string> Documents => new()
    {
        { HardenedDocument("ServiceAccount") },
        { HardenedDocument("Service") },
        { HardenedDocument("Deployment") },
        { "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations: {a: \"yes\"}\ndata:\n  key: aGVsbG8=\n  empty: \"\"\nstringData:\n  other: plain\n" },
        { "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  creationTimestamp: \"2024-01-01T00:00:00Z\"\nspec:\n  containers:\n    - name: c\n      image: x:1\n      resources: {limits: {memory: 128Mi, cpu: 1}}\n      ports: [{containerPort: 8080, name: http}]\n      livenessProbe: {httpGet: {path: /, port: http}}\n      readinessProbe: {tcpSocket: {port: 8080}}\n      env: [{name: A, value: \"true\"}, {name: B, value: yes}]\n" },
        { "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: &labels {x: y}\ndata:\n  <<: *labels\n  z: \"1\"\n" },
        { "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n  labels:\nspec:\n  selector: {app: x}\n  ports: [{port: \"80\", targetPort: http}]\n" },
        { "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n  rules: [{host: a.example, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]\n" },
        { "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: three\n" },
        { "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: app, securityContex: {}}]\n" },
        { "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {key: not base64!}\n" },
        { "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: [1, 2]\n" },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Reads_and_refuses_what_KubernetesClients_strict_reader_does(string document)
    {
        var library = Outcome(() => KubernetesYaml.LoadAllFromString(document, strict: true).Single());
        var ours = Outcome(() => KubernetesObjectReader.Read(document, KubernetesObjectReader.ModelType(Field(document, "apiVersion"), Field(document, "kind"))!));

        Assert.Equal(library, ours);
    }

    [Fact]
    public void A_duplicate_key_is_refused_where_it_repeats()
    {
        var exception = Assert.ThrowsAny<YamlException>(() => KubernetesObjectReader.Read("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n", typeof(V1ConfigMap)));

        Assert.Contains("duplicate key name", exception.Message);
        Assert.Equal(5, exception.Start.Line);
    }

    [Fact]
    public void Every_installable_kind_of_KubernetesClient_is_found_by_its_apiVersion_and_kind()
    {
        var entities = typeof(V1Pod).Assembly.GetTypes()
            .Where(type => typeof(IKubernetesObject<V1ObjectMeta>).IsAssignableFrom(type) && type.GetCustomAttribute<KubernetesEntityAttribute>() is not null)
            .ToList();

        Assert.True(entities.Count > 100, $"only {entities.Count} entity types");
        Assert.All(entities, type =>
        {
            var entity = type.GetCustomAttribute<KubernetesEntityAttribute>()!;
            var apiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
            Assert.Equal(type, KubernetesObjectReader.ModelType(apiVersion, entity.Kind));
        });
    }

    [Theory]
    [InlineData("v1", "PodList")]
    [InlineData("v1", "Widget")]
    [InlineData("example.com/v1", "Deployment")]
    [InlineData("events.k8s.io/v1", "Pod")]
    [InlineData("v1", "Pod[]")]
    [InlineData("v1/", "Pod")]
    public void Kinds_without_an_installable_model_type_are_not_found(string apiVersion, string kind) =>
        Assert.Null(KubernetesObjectReader.ModelType(apiVersion, kind));

    [Theory]
    [InlineData("v1", "Event", typeof(Corev1Event))]
    [InlineData("events.k8s.io/v1", "Event", typeof(Eventsv1Event))]
    [InlineData("apps/v1", "Deployment", typeof(V1Deployment))]
    [InlineData("autoscaling/v2", "HorizontalPodAutoscaler", typeof(V2HorizontalPodAutoscaler))]
    public void A_kind_two_groups_share_resolves_by_group(string apiVersion, string kind, Type expected) =>
        Assert.Equal(expected, KubernetesObjectReader.ModelType(apiVersion, kind));

    private static string Outcome(Func<object> read)
    {
        try
        {
            return KubernetesJson.Serialize(read());
        }
        catch (YamlException exception)
        {
            return $"{exception.GetType().Name} at {exception.Start.Line}:{exception.Start.Column}: {exception.Message} ({exception.InnerException?.Message})";
        }
    }

    private static string Field(string document, string name) =>
        document.Split('\n').First(line => line.StartsWith($"{name}:", StringComparison.Ordinal))[(name.Length + 1)..].Trim();

    private static string HardenedDocument(string kind) =>
        HardenedRender.Yaml.Split("\n---\n").Single(document => document.Contains($"\nkind: {kind}\n", StringComparison.Ordinal));
}
