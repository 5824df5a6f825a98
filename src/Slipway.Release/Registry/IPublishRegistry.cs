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

    OciRegistryClient RegistryClient => new(RegistryHttp, Secrets, Log);

    Target PublishRegistry => _ => _
        .Description("Use --registry, or start an embedded registry on a loopback port (stopped at the end, whatever happens)")
        .Produces(async ct =>
        {
            if (!string.IsNullOrWhiteSpace(Registry))
                return new PublishDestination(ValidRegistry(Registry), Credentials(), Embedded: false);

            var binary = await new RegistryBinaryProvisioner(Processes, ToolCache.Default, Log).ProvisionAsync(ct);
            var registry = await EmbeddedRegistry.StartAsync(binary, Processes, Log, cancellationToken: ct);
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

    private RegistryCredentials? Credentials() =>
        (RegistryUsername, RegistryPassword) switch
        {
            (null or "", null or "") => null,
            ({ Length: > 0 } user, { Length: > 0 } password) => new RegistryCredentials(user, password),
            _ => throw new InvalidOperationException("Give both --registry-username and --registry-password, or neither."),
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
