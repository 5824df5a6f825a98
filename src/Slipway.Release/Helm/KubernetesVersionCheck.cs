using System.Text.RegularExpressions;

namespace Slipway.Release.Helm;

/// <summary>A Kubernetes version as both helm's <c>--kube-version</c> and the manifest validator read it: MAJOR.MINOR[.PATCH], no <c>v</c>.</summary>
public sealed partial class KubernetesVersionCheck : IParameterCheck
{
    public string? Check(string value, ParameterCheckContext context) =>
        VersionPattern().IsMatch(value) ? null : "must be a Kubernetes version MAJOR.MINOR[.PATCH] such as 1.31.0";

    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?$")]
    private static partial Regex VersionPattern();
}
