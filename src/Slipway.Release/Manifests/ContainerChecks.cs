using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Slipway.Release.Manifests;

/// <summary>A rule broken at a field of the object being checked, before it is tied to its file and object.</summary>
internal sealed record Violation(PolicyRule Rule, string FieldPath, string Message, string? Container = null);

/// <summary>The per-container rules. Settings the pod's securityContext may provide are read container-first, as the kubelet does.</summary>
internal static partial class ContainerChecks
{
    public static IEnumerable<Violation> Check(PodTemplate pod, V1Container container, string path, bool isInit)
    {
        var checks = new List<IEnumerable<Violation>>
        {
            RunAsNonRoot(pod, container, path),
            SecurityContextFlags(container, path),
            Capabilities(container, path),
            Resources(container, path),
            Image(container, path),
            Seccomp(pod, container, path),
            PlaintextSecrets(container, path),
        };
        // Kubernetes does not run probes on init containers, so the probe rules apply to app containers only.
        if (!isInit)
        {
            checks.Add(Probe(PolicyRules.LivenessProbe, "livenessProbe", container.LivenessProbe, container, path));
            checks.Add(Probe(PolicyRules.ReadinessProbe, "readinessProbe", container.ReadinessProbe, container, path));
        }

        return checks.SelectMany(violations => violations).Select(violation => violation with { Container = container.Name });
    }

    private static IEnumerable<Violation> RunAsNonRoot(PodTemplate pod, V1Container container, string path)
    {
        var own = container.SecurityContext;
        var inherited = pod.Spec.SecurityContext;
        if ((own?.RunAsNonRoot ?? inherited?.RunAsNonRoot) != true)
            yield return new(PolicyRules.RunAsNonRoot, SettingPath(pod, path, own?.RunAsNonRoot, inherited?.RunAsNonRoot, "runAsNonRoot"), "runAsNonRoot is not true");

        var userPath = SettingPath(pod, path, own?.RunAsUser, inherited?.RunAsUser, "runAsUser");
        switch (own?.RunAsUser ?? inherited?.RunAsUser)
        {
            case null:
                yield return new(PolicyRules.RunAsNonRoot, userPath, "runAsUser is not set, so the image decides the user");
                break;
            case 0:
                yield return new(PolicyRules.RunAsNonRoot, userPath, "runAsUser is 0 (root)");
                break;
        }
    }

    /// <summary>
    /// Where a security setting the container inherits from the pod is to be found (or fixed): the pod's
    /// securityContext when only the pod sets it, else the container's.
    /// </summary>
    private static string SettingPath(PodTemplate pod, string containerPath, object? containerValue, object? podValue, string field) =>
        containerValue is null && podValue is not null
            ? $"{pod.SpecPath}.securityContext.{field}"
            : $"{containerPath}.securityContext.{field}";

    private static IEnumerable<Violation> SecurityContextFlags(V1Container container, string path)
    {
        var context = container.SecurityContext;
        if (context?.AllowPrivilegeEscalation != false)
            yield return new(PolicyRules.NoPrivilegeEscalation, $"{path}.securityContext.allowPrivilegeEscalation", "allowPrivilegeEscalation is not false");
        if (context?.Privileged == true)
            yield return new(PolicyRules.NotPrivileged, $"{path}.securityContext.privileged", "the container is privileged");
        if (context?.ReadOnlyRootFilesystem != true)
            yield return new(PolicyRules.ReadOnlyRootFilesystem, $"{path}.securityContext.readOnlyRootFilesystem", "readOnlyRootFilesystem is not true");
    }

    private static IEnumerable<Violation> Capabilities(V1Container container, string path)
    {
        var dropped = container.SecurityContext?.Capabilities?.Drop ?? [];
        if (!dropped.Any(capability => string.Equals(capability, "ALL", StringComparison.OrdinalIgnoreCase)))
            yield return new(PolicyRules.DropAllCapabilities, $"{path}.securityContext.capabilities.drop", "capabilities.drop does not contain ALL");
    }

    private static IEnumerable<Violation> Resources(V1Container container, string path)
    {
        var requests = container.Resources?.Requests;
        var limits = container.Resources?.Limits;
        if (requests is null || !requests.ContainsKey("cpu"))
            yield return new(PolicyRules.Resources, $"{path}.resources.requests.cpu", "no CPU request");
        if (requests is null || !requests.ContainsKey("memory"))
            yield return new(PolicyRules.Resources, $"{path}.resources.requests.memory", "no memory request");
        if (limits is null || !limits.ContainsKey("memory"))
            yield return new(PolicyRules.Resources, $"{path}.resources.limits.memory", "no memory limit");
    }

    private static IEnumerable<Violation> Probe(PolicyRule rule, string field, V1Probe? probe, V1Container container, string path)
    {
        if (probe is null)
        {
            yield return new(rule, $"{path}.{field}", $"no {field}");
            yield break;
        }

        var (portPath, port) = probe switch
        {
            { HttpGet: { } http } => ($"{path}.{field}.httpGet.port", http.Port?.Value),
            { TcpSocket: { } tcp } => ($"{path}.{field}.tcpSocket.port", tcp.Port?.Value),
            { Grpc: { } grpc } => ($"{path}.{field}.grpc.port", grpc.Port.ToString(CultureInfo.InvariantCulture)),
            _ => (null, null), // An exec probe has no port to check.
        };
        if (portPath is not null && !DeclaresPort(container, port))
        {
            var declared = string.Join(", ", (container.Ports ?? []).Select(p => p.Name is null ? $"{p.ContainerPort}" : $"{p.ContainerPort}/{p.Name}"));
            yield return new(rule, portPath, $"port '{port}' is not among the container's ports ({(declared.Length == 0 ? "none declared" : declared)})");
        }
    }

    private static bool DeclaresPort(V1Container container, string? port) =>
        port is not null && (container.Ports ?? []).Any(declared =>
            declared.Name == port || declared.ContainerPort.ToString(CultureInfo.InvariantCulture) == port);

    private static IEnumerable<Violation> Image(V1Container container, string path)
    {
        var image = container.Image;
        if (string.IsNullOrWhiteSpace(image))
        {
            yield return new(PolicyRules.PinnedImage, $"{path}.image", "the image is empty");
            yield break;
        }

        if (image.Contains("@sha256:", StringComparison.Ordinal))
            yield break;
        // A colon after the last slash is a tag; one before it belongs to a registry's port.
        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var tag = lastSegment.Contains(':') ? lastSegment[(lastSegment.IndexOf(':') + 1)..] : null;
        if (tag is null)
            yield return new(PolicyRules.PinnedImage, $"{path}.image", $"image '{image}' has no tag, so it means latest");
        else if (tag == "latest")
            yield return new(PolicyRules.PinnedImage, $"{path}.image", $"image '{image}' uses the latest tag");
    }

    private static IEnumerable<Violation> Seccomp(PodTemplate pod, V1Container container, string path)
    {
        var own = container.SecurityContext?.SeccompProfile;
        var inherited = pod.Spec.SecurityContext?.SeccompProfile;
        var profile = own ?? inherited;
        if (profile?.Type is not ("RuntimeDefault" or "Localhost"))
        {
            yield return new(PolicyRules.SeccompProfile, SettingPath(pod, path, own, inherited, "seccompProfile") + ".type",
                profile is null ? "no seccompProfile" : $"seccompProfile type is {profile.Type}");
        }
    }

    private static IEnumerable<Violation> PlaintextSecrets(V1Container container, string path)
    {
        foreach (var (variable, index) in (container.Env ?? []).Select((variable, index) => (variable, index)))
        {
            if (SecretName().IsMatch(variable.Name ?? string.Empty) && !string.IsNullOrEmpty(variable.Value))
                yield return new(PolicyRules.NoPlaintextSecrets, $"{path}.env[{index}].value", $"{variable.Name} has a literal value");
        }
    }

    [GeneratedRegex("PASSWORD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
