namespace Slipway.Release.Manifests;

/// <summary>An API version the Kubernetes API server stopped serving; <see cref="Kind"/> null means every kind of that version.</summary>
public sealed record RemovedApi(string ApiVersion, string? Kind, Version RemovedIn, string Replacement);

/// <summary>The deprecated-API migration guide as data: which apiVersions a target Kubernetes version no longer serves.</summary>
public static class RemovedApis
{
    public static IReadOnlyList<RemovedApi> All { get; } =
    [
        new("extensions/v1beta1", "Ingress", new(1, 22), "networking.k8s.io/v1"),
        new("extensions/v1beta1", "NetworkPolicy", new(1, 16), "networking.k8s.io/v1"),
        new("extensions/v1beta1", "PodSecurityPolicy", new(1, 16), "Pod Security Admission"),
        new("extensions/v1beta1", null, new(1, 16), "apps/v1"),
        new("apps/v1beta1", null, new(1, 16), "apps/v1"),
        new("apps/v1beta2", null, new(1, 16), "apps/v1"),
        new("networking.k8s.io/v1beta1", null, new(1, 22), "networking.k8s.io/v1"),
        new("admissionregistration.k8s.io/v1beta1", null, new(1, 22), "admissionregistration.k8s.io/v1"),
        new("apiextensions.k8s.io/v1beta1", null, new(1, 22), "apiextensions.k8s.io/v1"),
        new("apiregistration.k8s.io/v1beta1", null, new(1, 22), "apiregistration.k8s.io/v1"),
        new("rbac.authorization.k8s.io/v1beta1", null, new(1, 22), "rbac.authorization.k8s.io/v1"),
        new("scheduling.k8s.io/v1beta1", null, new(1, 22), "scheduling.k8s.io/v1"),
        new("certificates.k8s.io/v1beta1", null, new(1, 22), "certificates.k8s.io/v1"),
        new("coordination.k8s.io/v1beta1", null, new(1, 22), "coordination.k8s.io/v1"),
        new("storage.k8s.io/v1beta1", "CSIStorageCapacity", new(1, 27), "storage.k8s.io/v1"),
        new("storage.k8s.io/v1beta1", null, new(1, 22), "storage.k8s.io/v1"),
        new("batch/v1beta1", null, new(1, 25), "batch/v1"),
        new("discovery.k8s.io/v1beta1", null, new(1, 25), "discovery.k8s.io/v1"),
        new("events.k8s.io/v1beta1", null, new(1, 25), "events.k8s.io/v1"),
        new("autoscaling/v2beta1", null, new(1, 25), "autoscaling/v2"),
        new("policy/v1beta1", "PodSecurityPolicy", new(1, 25), "Pod Security Admission"),
        new("policy/v1beta1", null, new(1, 25), "policy/v1"),
        new("node.k8s.io/v1beta1", null, new(1, 25), "node.k8s.io/v1"),
        new("autoscaling/v2beta2", null, new(1, 26), "autoscaling/v2"),
        new("flowcontrol.apiserver.k8s.io/v1beta1", null, new(1, 26), "flowcontrol.apiserver.k8s.io/v1"),
        new("flowcontrol.apiserver.k8s.io/v1beta2", null, new(1, 29), "flowcontrol.apiserver.k8s.io/v1"),
        new("flowcontrol.apiserver.k8s.io/v1beta3", null, new(1, 32), "flowcontrol.apiserver.k8s.io/v1"),
    ];

    /// <summary>The removal that applies to this apiVersion and kind, if any; a kind-specific entry wins over a version-wide one.</summary>
    public static RemovedApi? Find(string apiVersion, string kind) =>
        All.FirstOrDefault(api => api.ApiVersion == apiVersion && api.Kind == kind)
        ?? All.FirstOrDefault(api => api.ApiVersion == apiVersion && api.Kind is null);
}
