using System.Net;
using Slipway.Logging;
using Slipway.Release.Oci;

namespace Slipway.Release.Registry;

/// <summary>
/// The registry half of a publish's preflight, before anything is pushed: the registry answers, and it takes the
/// credentials. A registry that asks for a login when none was given, one that refuses the given password (401), and one
/// that accepts the user but not the operation (403) each get their own message with their own fix.
/// </summary>
public sealed class RegistryPreflight(IOciRegistry registry, IBuildLog log)
{
    private const string NothingPushed = "Nothing was pushed.";

    public async Task CheckAsync(PublishDestination destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var host = destination.Host;
        var reachable = await registry.CheckReachableAsync(host, cancellationToken);
        if (!reachable.Succeeded)
            throw new InvalidOperationException($"Registry {host} is not reachable: {reachable.Message} Next step: check --registry ('{destination.Registry}') and that the registry is up. {NothingPushed}");

        if (destination.Credentials is not { } credentials)
        {
            if (reachable.RequiresCredentials)
            {
                throw new InvalidOperationException(
                    $"Registry {host} asks for credentials (401 at its API root) and none were given: set --registry-username and put the password or token in " +
                    $"SLIPWAY_REGISTRY_PASSWORD (or pass --registry-password); for GHCR, your GitHub user and a token with write:packages, in Actions github.actor and GITHUB_TOKEN with 'packages: write'. {NothingPushed}");
            }

            log.Info($"Preflight: {host} is reachable and takes anonymous pushes");
            return;
        }

        var accepted = await registry.CheckCredentialsAsync(host, credentials, cancellationToken);
        if (!accepted.Succeeded)
        {
            var next = accepted.Status switch
            {
                HttpStatusCode.Unauthorized => $"the password or token in SLIPWAY_REGISTRY_PASSWORD (or --registry-password) is wrong or expired, or it is not the password of --registry-username '{credentials.Username}'",
                HttpStatusCode.Forbidden => $"give '{credentials.Username}' (or its token) the permission to push to {destination.Registry}",
                _ => "check --registry and that the registry is up",
            };
            throw new InvalidOperationException($"{accepted.Message} Next step: {next}. {NothingPushed}");
        }

        log.Info($"Preflight: {host} is reachable and accepts the credentials of '{credentials.Username}'");
    }
}
