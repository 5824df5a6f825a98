namespace Slipway.Release.Helm;

/// <summary>
/// helm's OCI registry verbs, the boundary the publishing stages are unit-tested at with a fake. helm exits 1 for every
/// failure, so callers classify a registry's refusal from the registry's own HTTP status (<see cref="Oci.IOciRegistry"/>), not from helm's text.
/// </summary>
public interface IHelmRegistryClient
{
    /// <summary>Logs in for later pushes; the password never reaches a command line.</summary>
    Task LoginAsync(string registry, string username, string password, bool plainHttp, CancellationToken cancellationToken = default);

    /// <summary>Forgets the login again; called once the pushes it was for are done, whatever happened.</summary>
    Task LogoutAsync(string registry, CancellationToken cancellationToken = default);

    /// <summary>Pushes a packaged chart to an OCI repository such as <c>oci://127.0.0.1:5000/charts</c>.</summary>
    Task<HelmPushResult> PushAsync(string chartPackage, string ociReference, bool plainHttp, CancellationToken cancellationToken = default);

    /// <summary>Pulls a chart at a version into a folder and returns the .tgz path.</summary>
    Task<string> PullAsync(string chartReference, string version, string destinationDirectory, bool plainHttp, CancellationToken cancellationToken = default);
}
