using System.Net;
using Slipway.Release.Oci;
using Slipway.Release.Registry;

namespace Slipway.Release.Tests.Registry;

/// <summary>The registry half of the preflight against a fake registry: each refusal its own message with its own fix.</summary>
public sealed class RegistryPreflightTests
{
    private static readonly PublishDestination Ghcr = new("ghcr.io/acme", new RegistryCredentials("releaser", "token-1"), Embedded: false);

    private readonly FakeRegistry _registry = new();
    private readonly RecordingLog _log = new();

    private Task CheckAsync(PublishDestination destination) => new RegistryPreflight(_registry, _log).CheckAsync(destination);

    [Fact]
    public async Task Accepted_credentials_pass_and_the_log_says_so()
    {
        await CheckAsync(Ghcr);

        Assert.Equal(["reachable ghcr.io", "credentials ghcr.io releaser"], _registry.Calls);
        Assert.Contains("info: Preflight: ghcr.io is reachable and accepts the credentials of 'releaser'", _log.Lines);
    }

    [Fact]
    public async Task A_registry_that_asks_for_credentials_when_none_were_given_names_the_parameters()
    {
        _registry.Reachable = new RegistryCheck(true, "asks for credentials") { Status = HttpStatusCode.Unauthorized, RequiresCredentials = true };

        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => CheckAsync(Ghcr with { Credentials = null }));

        Assert.StartsWith("Registry ghcr.io asks for credentials (401 at its API root) and none were given: set --registry-username and put the password or token in SLIPWAY_REGISTRY_PASSWORD", missing.Message, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was pushed.", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_told_apart_from_a_missing_one()
    {
        _registry.CredentialsCheck = new RegistryCheck(false, "Registry 'ghcr.io' refused the credentials of user 'releaser' (a wrong or expired password or token) (401 UNAUTHORIZED: bad token).")
        {
            Status = HttpStatusCode.Unauthorized,
        };

        var wrong = await Assert.ThrowsAsync<InvalidOperationException>(() => CheckAsync(Ghcr));

        Assert.Contains("refused the credentials of user 'releaser'", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("Next step: the password or token in SLIPWAY_REGISTRY_PASSWORD (or --registry-password) is wrong or expired", wrong.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("none were given", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_without_the_permission_is_told_to_grant_it()
    {
        _registry.CredentialsCheck = new RegistryCheck(false, "Registry 'ghcr.io' accepted user 'releaser' but forbids this (403 DENIED).") { Status = HttpStatusCode.Forbidden };

        var forbidden = await Assert.ThrowsAsync<InvalidOperationException>(() => CheckAsync(Ghcr));

        Assert.Contains("Next step: give 'releaser' (or its token) the permission to push to ghcr.io/acme.", forbidden.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_registry_names_the_parameter_and_nothing_else_is_asked()
    {
        _registry.Reachable = new RegistryCheck(false, "Registry '127.0.0.1:9' is not reachable at http://127.0.0.1:9/v2/: Connection refused (127.0.0.1:9)");

        var unreachable = await Assert.ThrowsAsync<InvalidOperationException>(() => CheckAsync(new PublishDestination("127.0.0.1:9", null, Embedded: false)));

        Assert.StartsWith("Registry 127.0.0.1:9 is not reachable: ", unreachable.Message, StringComparison.Ordinal);
        Assert.Contains("check --registry ('127.0.0.1:9')", unreachable.Message, StringComparison.Ordinal);
        Assert.Equal(["reachable 127.0.0.1:9"], _registry.Calls);
    }

    [Fact]
    public async Task An_open_registry_takes_anonymous_pushes()
    {
        await CheckAsync(new PublishDestination("127.0.0.1:5000", null, Embedded: true));

        Assert.Contains("info: Preflight: 127.0.0.1:5000 is reachable and takes anonymous pushes", _log.Lines);
    }
}
