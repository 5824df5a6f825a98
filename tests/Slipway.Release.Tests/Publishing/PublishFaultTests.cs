using System.Text.RegularExpressions;
using Slipway.Processes;
using Slipway.Release.Oci;
using Slipway.Release.Registry;
using Slipway.Release.Tests.Registry;
using Slipway.Secrets;
using Xunit.Abstractions;

namespace Slipway.Release.Tests.Publishing;

/// <summary>
/// Publish through its targets against the real registry process behind the fault-injecting proxy, with the real helm:
/// transient faults survived with the retries in the output, permanent ones failing before anything (or exactly what the
/// message says) is published, and after every run the registry's tags listed to prove it. The image is a small one
/// (<see cref="SmallImageRelease"/>), so what is exercised is the order of pushes and tags, not the SDK.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RegistryCollection.Name)]
public sealed class PublishFaultTests(RegistryBinaryFixture binary, ITestOutputHelper report) : IAsyncLifetime
{
    private const string Password = "pw-7d1c0b2e";

    private readonly PublishWorkspace _workspace = new();
    private readonly RecordingLog _log = new();
    private readonly SecretRegistry _secrets = new();
    private EmbeddedRegistry _registry = null!;
    private FaultProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _secrets.Register(Password);
        _registry = await EmbeddedRegistry.StartAsync(binary.BinaryPath, new ProcessRunner(_log, _secrets), _log, Directory.CreateTempSubdirectory);
        _proxy = await FaultProxy.StartAsync(_registry.Address);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _registry.StopAsync();
        _workspace.Dispose();
    }

    private string Version => Regex.Match(_workspace.Git("log", "-1", "--format=%h"), "[0-9a-f]{7}").Value is var sha ? $"0.1.0-ci.1.g{sha}" : string.Empty;

    [Theory]
    [InlineData(FaultKind.ServiceUnavailable)]
    [InlineData(FaultKind.ConnectionReset)]
    public async Task A_fault_on_every_third_registry_call_is_survived_and_the_release_is_complete(FaultKind kind)
    {
        _proxy.With(new FaultRule(kind, FaultProxy.FromSlipway, Every: 3));

        var (exitCode, output) = await PublishAsync();

        Assert.True(exitCode == 0, output);
        Assert.True(_proxy.Faulted(kind) >= 5, string.Join('\n', _proxy.Requests));
        Assert.True(Regex.Count(output, "; retry [0-9] of 4 in ") >= _proxy.Faulted(kind), output);
        report.WriteLine($"{kind} on every third call of Slipway's client: {_proxy.Requests.Count} requests, {_proxy.Faulted(kind)} faulted, {Regex.Count(output, "; retry [0-9] of 4 in ")} retries, published");
        Assert.Equal([Version, $"{Version}-linux-arm64", $"{Version}-linux-x64"], await TagsAsync("beacon"));
        Assert.Equal([Version], await TagsAsync("charts/beacon"));
    }

    [Fact]
    public async Task A_short_outage_on_the_chart_paths_is_survived_by_retrying_helm_push_and_pull()
    {
        _proxy.With(new FaultRule(FaultKind.ServiceUnavailable, request => FaultProxy.Repository("charts/beacon")(request) && !FaultProxy.FromSlipway(request), Times: 2));

        var (exitCode, output) = await PublishAsync();

        Assert.True(exitCode == 0, output);
        Assert.Equal(2, _proxy.Faulted(FaultKind.ServiceUnavailable));
        // helm 4 retries a 5xx itself (oras-go's retry transport), helm 3.17 gives up at once: then the shared policy retries
        // the whole push, once per failed attempt (helm checks both blobs at once, so one attempt may meet both faults).
        var retries = Regex.Count(output, $@"warning: helm push beacon-{Regex.Escape(Version)}\.tgz to oci://{Regex.Escape(_proxy.Address)}/charts: '503' in its output; retry \d of 4");
        Assert.True(output.Contains("helm v4.", StringComparison.Ordinal) ? retries == 0 : retries is 1 or 2, output);
        Assert.Equal([Version], await TagsAsync("charts/beacon"));
    }

    [Fact]
    public async Task A_503_on_chart_uploads_fails_the_chart_push_and_leaves_no_image_tag_without_its_chart()
    {
        _proxy.With(new FaultRule(FaultKind.ServiceUnavailable, request => FaultProxy.Repository("charts/beacon")(request) && request.Method is "POST" or "PUT" or "PATCH"));

        var (exitCode, output) = await PublishAsync();

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains($"helm could not push {_proxy.Address}/charts/beacon:{Version}", output, StringComparison.Ordinal);
        Assert.Contains($"The registry holds nothing under {_proxy.Address}/charts/beacon:{Version}. Not tagged yet: {_proxy.Address}/beacon:{Version}-linux-x64, {_proxy.Address}/beacon:{Version}-linux-arm64, {_proxy.Address}/beacon:{Version}", output, StringComparison.Ordinal);
        Assert.Matches(@"ImageTag +not run: ChartPush failed", output);
        Assert.Empty(await TagsAsync("beacon"));
        Assert.Empty(await TagsAsync("charts/beacon"));
    }

    [Fact]
    public async Task A_refused_republish_leaves_the_image_tag_where_it_was()
    {
        var (firstExit, first) = await PublishAsync();
        var published = await DigestOfAsync($"beacon:{Version}");
        var (secondExit, second) = await PublishAsync(content: "other content, same commit");

        Assert.True(firstExit == 0, first);
        Assert.Equal(ExitCodes.Failed, secondExit);
        Assert.Matches($@"Refusing to move {Regex.Escape(_proxy.Address)}/beacon:{Regex.Escape(Version)}: it names {published}, and this build made sha256:[0-9a-f]{{64}}\.", second);
        Assert.Contains($"Refusing to overwrite {_proxy.Address}/charts/beacon:{Version}", second, StringComparison.Ordinal);
        Assert.Contains("Nothing was pushed or tagged.", second, StringComparison.Ordinal);
        Assert.Equal(published, await DigestOfAsync($"beacon:{Version}"));
    }

    [Fact]
    public async Task A_tag_that_cannot_be_set_is_reported_with_what_exists_and_the_rerun_completes_the_release()
    {
        var failing = $"/v2/beacon/manifests/{Version}";
        _proxy.With(new FaultRule(FaultKind.ServiceUnavailable, request => request.Method == "PUT" && request.Path.Value == failing));

        var (firstExit, first) = await PublishAsync();
        var tagsAfterFailure = await TagsAsync("beacon");
        var (secondExit, second) = await PublishAsync(withFaults: false);

        Assert.Equal(ExitCodes.Failed, firstExit);
        Assert.Contains($"Setting {_proxy.Address}/beacon:{Version} failed: PUT {_proxy.Address}/beacon:{Version} failed 5 times", first, StringComparison.Ordinal);
        Assert.Matches($@"In the registry now under this version: {Regex.Escape(_proxy.Address)}/charts/beacon:{Regex.Escape(Version)} = sha256:[0-9a-f]{{64}}, .*beacon:{Regex.Escape(Version)}-linux-x64 = sha256:[0-9a-f]{{64}}, .*beacon:{Regex.Escape(Version)}-linux-arm64 = sha256:[0-9a-f]{{64}}; not tagged: {Regex.Escape(_proxy.Address)}/beacon:{Regex.Escape(Version)} \(their manifests are in the registry by digest\)", first);
        Assert.Equal([$"{Version}-linux-arm64", $"{Version}-linux-x64"], tagsAfterFailure);
        Assert.True(secondExit == 0, second);
        Assert.Contains($"{_proxy.Address}/charts/beacon:{Version} is already published with the same content", second, StringComparison.Ordinal);
        Assert.Contains($"{_proxy.Address}/beacon:{Version}-linux-x64 already names", second, StringComparison.Ordinal);
        Assert.Contains($"Tagged {_proxy.Address}/beacon:{Version} = ", second, StringComparison.Ordinal);
        Assert.Equal([Version, $"{Version}-linux-arm64", $"{Version}-linux-x64"], await TagsAsync("beacon"));
    }

    [Fact]
    public async Task A_wrong_and_a_missing_password_are_refused_apart_before_anything_is_pushed()
    {
        await using var locked = await EmbeddedRegistry.StartAsync(binary.BinaryPath, new ProcessRunner(_log, _secrets), _log, Directory.CreateTempSubdirectory, new RegistryCredentials("releaser", Password));

        var (wrongExit, wrong) = await InProcessBuild.RunAsync<SmallImageRelease>(_workspace.Root, ["--registry", locked.Address, "--registry-username", "releaser", "--registry-password", "not-" + Password]);
        var (missingExit, missing) = await InProcessBuild.RunAsync<SmallImageRelease>(_workspace.Root, ["--registry", locked.Address]);
        var (halfExit, half) = await InProcessBuild.RunAsync<SmallImageRelease>(_workspace.Root, ["--registry", locked.Address, "--registry-username", "releaser"]);

        Assert.Equal((ExitCodes.Failed, ExitCodes.Failed, ExitCodes.Failed), (wrongExit, missingExit, halfExit));
        Assert.Contains($"Registry '{locked.Address}' refused the credentials of user 'releaser' (a wrong or expired password or token)", wrong, StringComparison.Ordinal);
        Assert.Contains("Next step: the password or token in SLIPWAY_REGISTRY_PASSWORD (or --registry-password) is wrong or expired", wrong, StringComparison.Ordinal);
        Assert.Contains($"Registry {locked.Address} asks for credentials (401 at its API root) and none were given: set --registry-username", missing, StringComparison.Ordinal);
        Assert.Contains("--registry-username is 'releaser' but no registry password is set: put the password or token in SLIPWAY_REGISTRY_PASSWORD", half, StringComparison.Ordinal);
        Assert.DoesNotContain("not-" + Password, wrong, StringComparison.Ordinal);
        var client = new OciRegistryClient(new HttpClient(), _secrets, _log);
        Assert.Empty(await client.ListTagsAsync(locked.Address, "beacon", new RegistryCredentials("releaser", Password)));
        Assert.Empty(await client.ListTagsAsync(locked.Address, "charts/beacon", new RegistryCredentials("releaser", Password)));
    }

    private Task<InProcessBuild> PublishAsync(string content = "first", bool withFaults = true)
    {
        if (!withFaults)
            _proxy.Clear();
        return InProcessBuild.RunAsync<SmallImageRelease>(_workspace.Root, ["--registry", _proxy.Address], new Dictionary<string, string> { ["TEST_IMAGE_CONTENT"] = content });
    }

    private Task<IReadOnlyList<string>> TagsAsync(string repository) => new OciRegistryClient(new HttpClient(), _secrets, _log).ListTagsAsync(_registry.Address, repository);

    private async Task<string> DigestOfAsync(string repositoryAndTag) =>
        Assert.IsType<ManifestResolution.Found>(await new OciRegistryClient(new HttpClient(), _secrets, _log).ResolveManifestAsync(OciReference.Parse($"{_registry.Address}/{repositoryAndTag}"))).Digest;
}
