using System.Globalization;
using k8s;
using k8s.Models;

namespace Slipway.Release.Manifests;

/// <summary>What the API server refuses in an object that parses: the field, with the bad value and the fix in the message.</summary>
internal sealed record ApiViolation(string Field, string Message);

/// <summary>
/// The API server's validation rules that a strict parse cannot see and that fail an install: object names in the
/// format the API applies to their kind, workload selectors that do not select their own pod template (kube-linter's
/// mismatching-selector), container names, duplicate container and port names, and port numbers and names.
/// </summary>
internal static class ApiServerChecks
{
    private const int MaxPort = 65535;

    /// <summary>A CronJob's name plus the 11 characters of the Jobs it creates must fit a 63-character label.</summary>
    private const int MaxCronJobName = 52;

    private static readonly HashSet<string> PortProtocols = ["TCP", "UDP", "SCTP"];

    public static IEnumerable<ApiViolation> Check(RenderedObject rendered) =>
        Metadata(rendered)
            .Concat(PodTemplate.Of(rendered) is { } pod ? Selector(rendered.Object, pod).Concat(Containers(pod)) : [])
            .Concat(rendered.Object is V1Service service ? ServicePorts(service) : []);

    /// <summary>The name format the API server validates a kind's names with; every other kind's names are URL path segments.</summary>
    public static NameFormat ObjectNameFormat(string kind) => kind switch
    {
        "Service" => NameFormat.Dns1035Label,
        "Namespace" => NameFormat.Dns1123Label,
        "ConfigMap" or "Secret" or "ServiceAccount" or "Pod" or "PodTemplate" or "ReplicationController" or "Endpoints"
            or "PersistentVolume" or "PersistentVolumeClaim" or "LimitRange" or "ResourceQuota" or "Deployment" or "ReplicaSet"
            or "StatefulSet" or "DaemonSet" or "ControllerRevision" or "Job" or "CronJob" or "Ingress" or "IngressClass"
            or "NetworkPolicy" or "PodDisruptionBudget" or "HorizontalPodAutoscaler" or "PriorityClass" or "StorageClass" => NameFormat.Dns1123Subdomain,
        _ => NameFormat.PathSegment,
    };

    private static IEnumerable<ApiViolation> Metadata(RenderedObject rendered)
    {
        var metadata = rendered.Object.Metadata;
        if (string.IsNullOrEmpty(metadata?.Name))
        {
            if (string.IsNullOrEmpty(metadata?.GenerateName))
                yield return new("metadata.name", "is missing; the API server needs a name (or generateName). Fix: set metadata.name");
        }
        else
        {
            if (NameProblem(metadata.Name, ObjectNameFormat(rendered.Kind), $"a {rendered.Kind} name") is { } problem)
                yield return new("metadata.name", problem);
            if (rendered.Kind == "CronJob" && metadata.Name.Length > MaxCronJobName)
            {
                yield return new("metadata.name",
                    $"'{metadata.Name}' has {metadata.Name.Length} characters; a CronJob name may have at most {MaxCronJobName} (its Jobs add 11 to a 63-character label). Fix: shorten it");
            }
        }

        if (!string.IsNullOrEmpty(metadata?.NamespaceProperty) && NameProblem(metadata.NamespaceProperty, NameFormat.Dns1123Label, "a namespace") is { } invalid)
            yield return new("metadata.namespace", invalid);
    }

    private static IEnumerable<ApiViolation> Selector(IKubernetesObject<V1ObjectMeta> workload, PodTemplate pod)
    {
        if (!pod.SpecPath.EndsWith(".template.spec", StringComparison.Ordinal))
            yield break; // A bare Pod selects nothing.
        var (selector, required) = workload switch
        {
            V1Deployment deployment => (deployment.Spec.Selector, true),
            V1StatefulSet statefulSet => (statefulSet.Spec.Selector, true),
            V1DaemonSet daemonSet => (daemonSet.Spec.Selector, true),
            V1ReplicaSet replicaSet => (replicaSet.Spec.Selector, true),
            V1Job job => (job.Spec.Selector, false),
            V1CronJob cronJob => (cronJob.Spec.JobTemplate.Spec?.Selector, false),
            _ => (null, false),
        };
        var selectorPath = pod.SpecPath[..pod.SpecPath.LastIndexOf(".template.spec", StringComparison.Ordinal)] + ".selector";
        var labelsPath = pod.SpecPath[..^".spec".Length] + ".metadata.labels";
        if (selector is null || (selector.MatchLabels is not { Count: > 0 } && selector.MatchExpressions is not { Count: > 0 }))
        {
            if (required)
            {
                yield return new(selectorPath,
                    $"is {(selector is null ? "missing" : "empty")}; the API server requires a {workload.Kind} to select its pods. Fix: set {selectorPath}.matchLabels to labels that {labelsPath} sets");
            }

            yield break;
        }

        var invalid = false;
        foreach (var (requirement, index) in (selector.MatchExpressions ?? []).Select((requirement, index) => (requirement, index)))
        {
            var path = $"{selectorPath}.matchExpressions[{index}]";
            var values = requirement.Values ?? [];
            var problem = requirement.OperatorProperty switch
            {
                "In" or "NotIn" when values.Count == 0 => new ApiViolation($"{path}.values", $"is empty; operator {requirement.OperatorProperty} needs at least one value. Fix: list the values"),
                "Exists" or "DoesNotExist" when values.Count > 0 => new ApiViolation($"{path}.values", $"[{string.Join(", ", values)}] must be empty for operator {requirement.OperatorProperty}. Fix: remove the values"),
                "In" or "NotIn" or "Exists" or "DoesNotExist" => null,
                var other => new ApiViolation($"{path}.operator", $"'{other}' is not a selector operator. Fix: use In, NotIn, Exists or DoesNotExist"),
            };
            if (problem is not null)
            {
                invalid = true;
                yield return problem;
            }
        }

        if (!invalid && !Selects(selector, pod.Labels))
        {
            yield return new(labelsPath,
                $"{Describe(pod.Labels)} does not match {selectorPath} ({Describe(selector)}); the API server refuses a {workload.Kind} whose selector does not select its own pod template. "
                + $"Fix: give {labelsPath} every label the selector requires, or change the selector");
        }
    }

    private static IEnumerable<ApiViolation> Containers(PodTemplate pod)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (container, path, _) in pod.Containers())
        {
            if (string.IsNullOrEmpty(container.Name))
                yield return new($"{path}.name", "is missing; every container needs a name. Fix: set a DNS-1123 label such as 'app'");
            else if (NameProblem(container.Name, NameFormat.Dns1123Label, "a container name") is { } problem)
                yield return new($"{path}.name", problem);
            else if (!seen.TryAdd(container.Name, path))
                yield return new($"{path}.name", $"'{container.Name}' is also the name of {seen[container.Name]}; container names must be unique in a pod, init containers included. Fix: rename one of them");

            foreach (var violation in ContainerPorts(container, path).Concat(ProbePorts(container, path)))
                yield return violation;
        }
    }

    private static IEnumerable<ApiViolation> ContainerPorts(V1Container container, string containerPath)
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (port, index) in (container.Ports ?? []).Select((port, index) => (port, index)))
        {
            var path = $"{containerPath}.ports[{index}]";
            if (!string.IsNullOrEmpty(port.Name))
            {
                if (NameProblem(port.Name, NameFormat.PortName, "a port name") is { } problem)
                    yield return new($"{path}.name", problem);
                else if (!names.TryAdd(port.Name, index))
                    yield return new($"{path}.name", $"'{port.Name}' is also the name of {containerPath}.ports[{names[port.Name]}]; port names must be unique in a container. Fix: rename one of them");
            }

            if (PortNumberProblem(port.ContainerPort, $"{path}.containerPort") is { } containerPort)
                yield return containerPort;
            if (port.HostPort is { } host and not 0 && PortNumberProblem(host, $"{path}.hostPort") is { } hostPort)
                yield return hostPort;
            if (port.Protocol is { Length: > 0 } protocol && !PortProtocols.Contains(protocol))
                yield return new($"{path}.protocol", $"'{protocol}' is not a port protocol. Fix: use TCP, UDP or SCTP");
        }
    }

    private static IEnumerable<ApiViolation> ProbePorts(V1Container container, string containerPath)
    {
        foreach (var (probe, field) in new[] { (container.LivenessProbe, "livenessProbe"), (container.ReadinessProbe, "readinessProbe"), (container.StartupProbe, "startupProbe") })
        {
            var path = $"{containerPath}.{field}";
            var violation = probe switch
            {
                { HttpGet.Port: { } port } => PortProblem(port, $"{path}.httpGet.port"),
                { TcpSocket.Port: { } port } => PortProblem(port, $"{path}.tcpSocket.port"),
                { Grpc: { } grpc } => PortNumberProblem(grpc.Port, $"{path}.grpc.port"),
                _ => null,
            };
            if (violation is not null)
                yield return violation;
        }
    }

    private static IEnumerable<ApiViolation> ServicePorts(V1Service service)
    {
        var ports = service.Spec?.Ports ?? [];
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var numbers = new Dictionary<(int, string), int>();
        foreach (var (port, index) in ports.Select((port, index) => (port, index)))
        {
            var path = $"spec.ports[{index}]";
            if (string.IsNullOrEmpty(port.Name))
            {
                if (ports.Count > 1)
                    yield return new($"{path}.name", "is missing; a Service with more than one port must name each. Fix: name it, e.g. 'http'");
            }
            else if (NameProblem(port.Name, NameFormat.Dns1123Label, "a Service port name") is { } problem)
            {
                yield return new($"{path}.name", problem);
            }
            else if (!names.TryAdd(port.Name, index))
            {
                yield return new($"{path}.name", $"'{port.Name}' is also the name of spec.ports[{names[port.Name]}]; Service port names must be unique. Fix: rename one of them");
            }

            if (PortNumberProblem(port.Port, $"{path}.port") is { } number)
                yield return number;
            else if (!numbers.TryAdd((port.Port, port.Protocol ?? "TCP"), index))
                yield return new($"{path}.port", $"{port.Port}/{port.Protocol ?? "TCP"} is also spec.ports[{numbers[(port.Port, port.Protocol ?? "TCP")]}]; a Service exposes each port and protocol once. Fix: remove or change one of them");
            if (port.TargetPort is { Value: not (null or "" or "0") } target && PortProblem(target, $"{path}.targetPort") is { } targetPort)
                yield return targetPort;
            if (port.NodePort is { } node and not 0 && PortNumberProblem(node, $"{path}.nodePort") is { } nodePort)
                yield return nodePort;
        }
    }

    /// <summary>A port given as a number (1-65535) or as the name of a container port.</summary>
    private static ApiViolation? PortProblem(IntOrString port, string path) =>
        int.TryParse(port.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? PortNumberProblem(number, path)
            : NameProblem(port.Value, NameFormat.PortName, "a port name") is { } problem ? new(path, problem) : null;

    private static ApiViolation? PortNumberProblem(int port, string path) => port is >= 1 and <= MaxPort
        ? null
        : new(path, $"{port} is out of range: a port must be between 1 and {MaxPort}. Fix: use the port the app listens on");

    /// <summary>Why <paramref name="name"/> is not in <paramref name="format"/>, with a fix, or null when it is.</summary>
    private static string? NameProblem(string name, NameFormat format, string what)
    {
        if (format.Allows(name))
            return null;
        var suggestion = format.Suggest(name);
        return $"'{name}' is not valid as {what}: it must be a {format.Title} ({format.Rule}). Fix: rename it{(suggestion is null ? string.Empty : $", e.g. '{suggestion}'")}";
    }

    private static bool Selects(V1LabelSelector selector, IDictionary<string, string>? labels)
    {
        labels ??= new Dictionary<string, string>();
        return (selector.MatchLabels ?? new Dictionary<string, string>()).All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value)
            && (selector.MatchExpressions ?? []).All(requirement => requirement.OperatorProperty switch
            {
                "In" => labels.TryGetValue(requirement.Key, out var value) && requirement.Values.Contains(value),
                "NotIn" => !labels.TryGetValue(requirement.Key, out var value) || !requirement.Values.Contains(value),
                "Exists" => labels.ContainsKey(requirement.Key),
                _ => !labels.ContainsKey(requirement.Key),
            });
    }

    private static string Describe(IDictionary<string, string>? labels) =>
        labels is { Count: > 0 } ? "labels " + string.Join(",", labels.Select(pair => $"{pair.Key}={pair.Value}")) : "no labels";

    private static string Describe(V1LabelSelector selector) => string.Join("; ", new[]
    {
        selector.MatchLabels is { Count: > 0 } matchLabels ? "matchLabels " + string.Join(",", matchLabels.Select(pair => $"{pair.Key}={pair.Value}")) : null,
        selector.MatchExpressions is { Count: > 0 } expressions
            ? "matchExpressions " + string.Join(",", expressions.Select(requirement => $"{requirement.Key} {requirement.OperatorProperty} ({string.Join(",", requirement.Values ?? [])})"))
            : null,
    }.OfType<string>());
}
