using System.Text.RegularExpressions;
using Slipway.Release.Oci;
using Slipway.Release.Tools;

namespace Slipway.Release.Registry;

/// <summary>Where this run publishes: <c>host[:port][/namespace]</c>, and the credentials for pushing there.</summary>
public sealed record PublishDestination(string Registry, RegistryCredentials? Credentials, bool Embedded)
{
    /// <summary>The registry host (and port), without the namespace.</summary>
    public string Host => Registry.Split('/', 2)[0];

    /// <summary>Plain HTTP is used only for a registry on this machine.</summary>
    public bool PlainHttp => OciReference.IsLoopback(Host);

    public OciReference Reference(string repository, string tag) => OciReference.Parse($"{Registry}/{repository}:{tag}");
}

/// <summary>The registry a release goes to: <c>--registry</c>, or an embedded registry started for the run and always stopped.</summary>
public partial interface IPublishRegistry : ISlipwayBuild
{
    [Parameter("Where to publish: host[:port][/namespace] (GHCR: ghcr.io/<owner>). Empty: an embedded registry for this run"), CheckedBy<RegistryAddressCheck>]
    string? Registry => ParameterValue<string>(nameof(Registry));

    [Parameter("User name for the registry")]
    string? RegistryUsername => ParameterValue<string>(nameof(RegistryUsername));

    [Parameter("Password or token for the registry"), Secret]
    string? RegistryPassword => ParameterValue<string>(nameof(RegistryPassword));

    /// <summary>One HTTP client per build for registry calls.</summary>
    HttpClient RegistryHttp => Shared(() => new HttpClient { Timeout = TimeSpan.FromSeconds(60) });

    /// <summary>The one retry policy of the build's registry calls: the OCI client's, cosign's (and helm's, where it is applied).</summary>
    RegistryRetry RegistryRetry => Shared(() => new RegistryRetry(Log));

    OciRegistryClient RegistryClient => new(RegistryHttp, Secrets, Log, RegistryRetry);

    Target PublishRegistry => _ => _
        .Description("Use --registry, or start an embedded registry on a loopback port (stopped at the end, whatever happens)")
        .Produces(async ct =>
        {
            if (!string.IsNullOrWhiteSpace(Registry))
                return new PublishDestination(ValidRegistry(Registry), Credentials(), Embedded: false);

            var binary = await new RegistryBinaryProvisioner(Processes, ToolCache.Default, Log).ProvisionAsync(ct);
            var registry = await EmbeddedRegistry.StartAsync(binary, Processes, Log, CreateTemporaryDirectory, cancellationToken: ct);
            Shared(() => new EmbeddedRegistryHandle()).Registry = registry;
            return new PublishDestination(registry.Address, null, Embedded: true);
        })
        .Cleanup(async _ =>
        {
            if (Shared(() => new EmbeddedRegistryHandle()).Registry is { } registry)
            {
                await registry.StopAsync();
                Log.Info($"Embedded registry {registry.Address} stopped and its storage removed.");
            }
        });

    Target PublishPreflight => _ => _
        .Description("Before anything is pushed: the registry answers and takes the credentials (a missing and a wrong password told apart)")
        .DependsOn(PublishRegistry)
        .Executes(ct => RegistryPreflight.CheckAsync(ResultOf<PublishDestination>(PublishRegistry), ct));

    /// <summary>The registry checks of PublishPreflight; a build may override it to swap the registry client.</summary>
    RegistryPreflight RegistryPreflight => new(RegistryClient, Log);

    private RegistryCredentials? Credentials() =>
        (RegistryUsername, RegistryPassword) switch
        {
            (null or "", null or "") => null,
            ({ Length: > 0 } user, { Length: > 0 } password) => new RegistryCredentials(user, password),
            ({ Length: > 0 } user, _) => throw new InvalidOperationException(
                $"--registry-username is '{user}' but no registry password is set: put the password or token in SLIPWAY_REGISTRY_PASSWORD (or pass --registry-password), or drop the user name to push anonymously."),
            _ => throw new InvalidOperationException(
                "A registry password is set (SLIPWAY_REGISTRY_PASSWORD or --registry-password) but no --registry-username: give the user it belongs to (GHCR: your GitHub user; in Actions, github.actor)."),
        };

    private static string ValidRegistry(string registry)
    {
        var trimmed = registry.Trim().TrimEnd('/');
        if (trimmed.Contains("://", StringComparison.Ordinal))
            throw new InvalidOperationException($"--registry takes host[:port][/namespace] without a scheme, got '{registry}'.");
        return RegistryPattern().IsMatch(trimmed)
            ? trimmed
            : throw new InvalidOperationException($"--registry must be host[:port][/namespace] in lower case (e.g. ghcr.io/my-org or 127.0.0.1:5000), got '{registry}'.");
    }

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*$")]
    private static partial Regex RegistryPattern();
}

/// <summary>The embedded registry of this run, for the cleanup that stops it.</summary>
internal sealed class EmbeddedRegistryHandle
{
    public EmbeddedRegistry? Registry { get; set; }
}
