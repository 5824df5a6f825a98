using k8s.Models;

namespace Slipway.Release.Manifests;

/// <summary>The pod a workload runs, wherever its kind keeps it, with the field path of its spec for messages.</summary>
internal sealed record PodTemplate(RenderedObject Owner, V1PodSpec Spec, IDictionary<string, string>? Labels, string SpecPath)
{
    public static PodTemplate? Of(RenderedObject owner) => owner.Object switch
    {
        V1Deployment { Spec.Template: { Spec: { } spec } template } => new(owner, spec, template.Metadata?.Labels, "spec.template.spec"),
        V1StatefulSet { Spec.Template: { Spec: { } spec } template } => new(owner, spec, template.Metadata?.Labels, "spec.template.spec"),
        V1DaemonSet { Spec.Template: { Spec: { } spec } template } => new(owner, spec, template.Metadata?.Labels, "spec.template.spec"),
        V1ReplicaSet { Spec.Template: { Spec: { } spec } template } => new(owner, spec, template.Metadata?.Labels, "spec.template.spec"),
        V1Job { Spec.Template: { Spec: { } spec } template } => new(owner, spec, template.Metadata?.Labels, "spec.template.spec"),
        V1CronJob { Spec.JobTemplate.Spec.Template: { Spec: { } spec } template } =>
            new(owner, spec, template.Metadata?.Labels, "spec.jobTemplate.spec.template.spec"),
        V1Pod { Spec: { } spec } pod => new(owner, spec, pod.Metadata?.Labels, "spec"),
        _ => null,
    };

    /// <summary>Init containers first, then app containers, each with its own field path.</summary>
    public IEnumerable<(V1Container Container, string Path, bool IsInit)> Containers()
    {
        foreach (var (container, index) in (Spec.InitContainers ?? []).Select((container, index) => (container, index)))
            yield return (container, $"{SpecPath}.initContainers[{index}]", true);
        foreach (var (container, index) in (Spec.Containers ?? []).Select((container, index) => (container, index)))
            yield return (container, $"{SpecPath}.containers[{index}]", false);
    }
}
