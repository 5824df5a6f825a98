namespace Slipway.Release.Manifests;

/// <summary>The rules of the policy gate. Ids are stable: exemptions and CI logs refer to them.</summary>
public static class PolicyRules
{
    public static PolicyRule RunAsNonRoot { get; } = new("SLW001", PolicySeverity.Error, "Run as a non-root user",
        "set securityContext.runAsNonRoot: true and a numeric runAsUser other than 0");

    public static PolicyRule NoPrivilegeEscalation { get; } = new("SLW002", PolicySeverity.Error, "No privilege escalation",
        "set securityContext.allowPrivilegeEscalation: false on the container");

    public static PolicyRule NotPrivileged { get; } = new("SLW003", PolicySeverity.Error, "Not privileged",
        "remove securityContext.privileged: true");

    public static PolicyRule ReadOnlyRootFilesystem { get; } = new("SLW004", PolicySeverity.Error, "Read-only root filesystem",
        "set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the app writes (e.g. /tmp)");

    public static PolicyRule DropAllCapabilities { get; } = new("SLW005", PolicySeverity.Error, "Drop all capabilities",
        "set securityContext.capabilities.drop: [ALL] and add back only what is needed");

    public static PolicyRule Resources { get; } = new("SLW006", PolicySeverity.Error, "CPU and memory requests and a memory limit",
        "set resources.requests.cpu, resources.requests.memory and resources.limits.memory");

    public static PolicyRule LivenessProbe { get; } = new("SLW007", PolicySeverity.Error, "Liveness probe on a declared port",
        "add a livenessProbe whose port is a number or name from the container's ports");

    public static PolicyRule ReadinessProbe { get; } = new("SLW008", PolicySeverity.Error, "Readiness probe on a declared port",
        "add a readinessProbe whose port is a number or name from the container's ports");

    public static PolicyRule PinnedImage { get; } = new("SLW009", PolicySeverity.Error, "Image pinned by tag or digest",
        "use an explicit version tag or, better, a digest (image@sha256:...); never latest or no tag");

    public static PolicyRule NoHostNamespaces { get; } = new("SLW010", PolicySeverity.Error, "No host namespaces",
        "remove hostNetwork, hostPID and hostIPC");

    public static PolicyRule NoHostPath { get; } = new("SLW011", PolicySeverity.Error, "No hostPath volumes",
        "use an emptyDir, a ConfigMap, a Secret or a PersistentVolumeClaim instead of hostPath");

    public static PolicyRule NoAutomountedToken { get; } = new("SLW012", PolicySeverity.Error, "No automounted service account token",
        "set automountServiceAccountToken: false on the pod spec or on its ServiceAccount");

    public static PolicyRule SeccompProfile { get; } = new("SLW013", PolicySeverity.Error, "Seccomp profile",
        "set securityContext.seccompProfile.type: RuntimeDefault (or Localhost)");

    public static PolicyRule SelectorMatches { get; } = new("SLW014", PolicySeverity.Error, "Service selector matches a pod template",
        "make the Service's spec.selector a subset of a workload's pod template labels");

    public static PolicyRule NoPlaintextSecrets { get; } = new("SLW015", PolicySeverity.Error, "No secrets in plain env values",
        "take the value from a Secret: env[].valueFrom.secretKeyRef");

    public static PolicyRule ValidExemption { get; } = new("SLW016", PolicySeverity.Error, "Exemptions name a known rule and give a reason",
        $"write the annotation as {PolicyGate.ExemptionPrefix}<rule id>: \"<why this workload needs it>\"");

    public static PolicyRule UsedExemption { get; } = new("SLW017", PolicySeverity.Warning, "Exemptions are still needed",
        "remove the exemption annotation: the rule it exempts passes");

    public static IReadOnlyList<PolicyRule> All { get; } =
    [
        RunAsNonRoot, NoPrivilegeEscalation, NotPrivileged, ReadOnlyRootFilesystem, DropAllCapabilities, Resources,
        LivenessProbe, ReadinessProbe, PinnedImage, NoHostNamespaces, NoHostPath, NoAutomountedToken, SeccompProfile,
        SelectorMatches, NoPlaintextSecrets, ValidExemption, UsedExemption,
    ];

    /// <summary>Every rule but the two about exemptions themselves, which would otherwise exempt their own check.</summary>
    public static bool IsExemptible(string ruleId) =>
        ruleId != ValidExemption.Id && ruleId != UsedExemption.Id && All.Any(rule => rule.Id == ruleId);
}
