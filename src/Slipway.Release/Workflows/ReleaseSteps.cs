using Slipway.Release.Tools;
using Slipway.Workflows;

namespace Slipway.Release.Workflows;

/// <summary>Workflow steps for release components' tools, pinned like GitHub's own actions (<see cref="GitHubActionPins"/>).</summary>
public static class ReleaseSteps
{
    /// <summary>
    /// sigstore/cosign-installer v4.1.2, sha read from github.com/sigstore/cosign-installer with
    /// <c>git rev-parse v4.1.2^{commit}</c> (2026-12-01). It verifies the cosign it installs (its pinned bootstrap binary's
    /// sha256, then that binary checks the release's signature).
    /// </summary>
    public static PinnedAction CosignInstaller { get; } = new("sigstore/cosign-installer", "6f9f17788090df1f26f669e9d70d6ae9567deba6", "v4.1.2");

    /// <summary>cosign on PATH, the same version Slipway pins (<see cref="PinnedTools.Cosign"/>), so Sign runs keyless with the job's OIDC identity.</summary>
    public static ActionStep InstallCosign() =>
        Step.Uses(CosignInstaller)
            .Named($"Install cosign v{PinnedTools.Cosign.Version.ToString(3)}")
            .With("cosign-release", $"v{PinnedTools.Cosign.Version.ToString(3)}");
}
