using k8s.Models;

namespace Slipway.Release.Manifests;

/// <summary>
/// The native policy gate over one render's strictly parsed objects. Checks every pod template (init containers
/// included), cross-checks Services and ServiceAccounts against the workloads of the same render, and honours
/// per-object exemptions that give a reason.
/// </summary>
public static class PolicyGate
{
    /// <summary>An annotation <c>slipway.dev/exempt-SLW004: "why"</c> on an object exempts it from that rule.</summary>
    public const string ExemptionPrefix = "slipway.dev/exempt-";

    /// <summary>
    /// The policy over a validated render. A render in which an object could not be read never passes: the policy cannot
    /// see that object, so this fails naming each one and why, rather than report on the objects that happened to parse.
    /// </summary>
    /// <exception cref="InvalidOperationException">The render has objects that did not parse strictly.</exception>
    public static PolicyReport Evaluate(ManifestValidationResult validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (!validation.IsValid)
        {
            throw new InvalidOperationException(
                $"The policy cannot pass a render with objects it cannot read; fix them first:{Environment.NewLine}{string.Join(Environment.NewLine, validation.Problems)}");
        }

        return Evaluate(validation.Objects);
    }

    public static PolicyReport Evaluate(IReadOnlyList<RenderedObject> objects)
    {
        var pods = objects.Select(PodTemplate.Of).OfType<PodTemplate>().ToList();
        var findings = new List<PolicyFinding>();
        foreach (var pod in pods)
        {
            var violations = PodViolations(pod, objects)
                .Concat(pod.Containers().SelectMany(entry => ContainerChecks.Check(pod, entry.Container, entry.Path, entry.IsInit)));
            findings.AddRange(violations.Select(violation => Finding(pod.Owner, violation)));
        }

        foreach (var service in objects.Where(entry => entry.Object is V1Service))
            findings.AddRange(SelectorViolations(service, pods).Select(violation => Finding(service, violation)));

        return new PolicyReport(ApplyExemptions(objects, findings));
    }

    private static IEnumerable<Violation> PodViolations(PodTemplate pod, IReadOnlyList<RenderedObject> objects)
    {
        var spec = pod.Spec;
        foreach (var (enabled, field) in new[] { (spec.HostNetwork, "hostNetwork"), (spec.HostPID, "hostPID"), (spec.HostIPC, "hostIPC") })
        {
            if (enabled == true)
                yield return new(PolicyRules.NoHostNamespaces, $"{pod.SpecPath}.{field}", $"{field} is true");
        }

        foreach (var (volume, index) in (spec.Volumes ?? []).Select((volume, index) => (volume, index)))
        {
            if (volume.HostPath is not null)
                yield return new(PolicyRules.NoHostPath, $"{pod.SpecPath}.volumes[{index}].hostPath", $"volume '{volume.Name}' mounts {volume.HostPath.Path} from the node");
        }

        if (AutomountsToken(pod, objects) is { } reason)
            yield return new(PolicyRules.NoAutomountedToken, $"{pod.SpecPath}.automountServiceAccountToken", reason);
    }

    /// <summary>Why the pod gets an API token mounted, or null when it does not.</summary>
    private static string? AutomountsToken(PodTemplate pod, IReadOnlyList<RenderedObject> objects)
    {
        switch (pod.Spec.AutomountServiceAccountToken)
        {
            case false:
                return null;
            case true:
                return "automountServiceAccountToken is true";
        }

        // Unset on the pod: the ServiceAccount's setting decides; one not in this render (e.g. "default") mounts the token.
        var accountName = pod.Spec.ServiceAccountName ?? "default";
        var account = objects.FirstOrDefault(entry =>
            entry.Object is V1ServiceAccount && entry.Name == accountName && entry.Namespace == pod.Owner.Namespace);
        return account?.Object is V1ServiceAccount { AutomountServiceAccountToken: false }
            ? null
            : $"automountServiceAccountToken is unset and ServiceAccount '{accountName}' {(account is null ? "is not in this render" : "does not set it to false")}";
    }

    private static IEnumerable<Violation> SelectorViolations(RenderedObject service, IReadOnlyList<PodTemplate> pods)
    {
        var selector = ((V1Service)service.Object).Spec?.Selector;
        if (selector is null || selector.Count == 0)
            yield break; // A Service without a selector has its endpoints managed elsewhere.

        var matches = pods.Any(pod => pod.Owner.Namespace == service.Namespace && pod.Labels is { } labels
            && selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value));
        if (!matches)
        {
            var wanted = string.Join(",", selector.Select(pair => $"{pair.Key}={pair.Value}"));
            yield return new(PolicyRules.SelectorMatches, "spec.selector", $"selector {wanted} matches no pod template in this render");
        }
    }

    private static PolicyFinding Finding(RenderedObject owner, Violation violation) =>
        new(violation.Rule, owner.File, owner.DisplayName, violation.Container, violation.FieldPath, violation.Message);

    private static List<PolicyFinding> ApplyExemptions(IReadOnlyList<RenderedObject> objects, List<PolicyFinding> findings)
    {
        var result = new List<PolicyFinding>();
        var exemptions = objects.SelectMany(Exemptions).ToList();
        foreach (var finding in findings)
        {
            var exemption = exemptions.FirstOrDefault(entry => entry.Owner.File == finding.File && entry.Owner.DisplayName == finding.Object
                && entry.RuleId == finding.Rule.Id && entry.IsValid);
            result.Add(exemption is null ? finding : finding with { ExemptionReason = exemption.Reason });
        }

        foreach (var exemption in exemptions)
        {
            var path = $"metadata.annotations.{ExemptionPrefix}{exemption.RuleId}";
            if (!PolicyRules.IsExemptible(exemption.RuleId))
                result.Add(Finding(exemption.Owner, new(PolicyRules.ValidExemption, path, $"'{exemption.RuleId}' is not an exemptible rule")));
            else if (!exemption.HasReason)
                result.Add(Finding(exemption.Owner, new(PolicyRules.ValidExemption, path, "the exemption gives no reason")));
            else if (!findings.Any(finding => finding.File == exemption.Owner.File && finding.Object == exemption.Owner.DisplayName && finding.Rule.Id == exemption.RuleId))
                result.Add(Finding(exemption.Owner, new(PolicyRules.UsedExemption, path, $"{exemption.Owner.DisplayName} passes {exemption.RuleId} without it")));
        }

        return result;
    }

    private static IEnumerable<Exemption> Exemptions(RenderedObject owner) =>
        (owner.Object.Metadata?.Annotations ?? new Dictionary<string, string>())
            .Where(annotation => annotation.Key.StartsWith(ExemptionPrefix, StringComparison.Ordinal))
            .Select(annotation => new Exemption(owner, annotation.Key[ExemptionPrefix.Length..], annotation.Value?.Trim() ?? string.Empty));

    private sealed record Exemption(RenderedObject Owner, string RuleId, string Reason)
    {
        public bool HasReason => Reason.Length > 0;

        public bool IsValid => HasReason && PolicyRules.IsExemptible(RuleId);
    }
}
