using k8s.Models;
using Slipway.Release.Manifests;
using Slipway.Release.Smoke;

namespace Slipway.Release.PrSmoke;

/// <summary>The stamped chart as helm renders it for this run's release: what the cluster is about to get.</summary>
public sealed record RenderedRelease(IReadOnlyList<RenderedObject> Objects, RunSpec Spec)
{
    /// <exception cref="RunSpecException">The render has no workload to run; the message names the field.</exception>
    public static RenderedRelease Parse(string renderedYaml, string sourceName) =>
        new(ManifestValidator.Validate(renderedYaml, sourceName).Objects, RunSpec.FromRenderedChart(renderedYaml, sourceName));

    /// <summary>Every container image the render deploys, with the object and field it stands in.</summary>
    public IReadOnlyList<(string Where, string Image)> Images =>
    [
        .. Objects.Select(PodTemplate.Of).OfType<PodTemplate>()
            .SelectMany(template => template.Containers().Select(container => ($"{template.Owner.DisplayName} {container.Path}.image", container.Container.Image ?? string.Empty))),
    ];

    public IEnumerable<(RenderedObject Rendered, V1Service Service)> Services =>
        Objects.Where(rendered => rendered.Object is V1Service).Select(rendered => (rendered, (V1Service)rendered.Object));

    /// <summary>The labels of the pods the smoked workload (<see cref="RunSpec.WorkloadName"/>) runs.</summary>
    public IDictionary<string, string> WorkloadPodLabels =>
        Objects.Where(rendered => rendered.Name == Spec.WorkloadName).Select(PodTemplate.Of).OfType<PodTemplate>().FirstOrDefault()?.Labels
        ?? new Dictionary<string, string>();
}
