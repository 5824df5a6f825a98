using k8s;
using k8s.Models;

namespace Slipway.Release.Manifests;

/// <summary>One strictly parsed Kubernetes object of a render, with the template file and line it came from.</summary>
public sealed record RenderedObject(string File, int Line, string Kind, string Name, IKubernetesObject<V1ObjectMeta> Object)
{
    public string? Namespace => Object.Metadata?.NamespaceProperty;

    public string DisplayName => $"{Kind}/{Name}";
}
