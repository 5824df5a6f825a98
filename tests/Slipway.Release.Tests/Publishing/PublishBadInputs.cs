using Slipway.Processes;
using Slipway.Release.Containers;
using Slipway.Release.Oci;
using Slipway.Release.Publishing;
using Slipway.Release.Registry;
using Slipway.Release.Tests.Registry;
using Slipway.Release.Tests.Signing;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Publishing;

/// <summary>
/// Bad inputs of the publishing components (registries, signing, the image's base), each run as a user runs the build:
/// its exit code, the key words of its message, what must never show, and that nothing is left behind (no tag in the
/// registry, no temporary folder of the run). Shaped like the engine's bad-input catalogue (<c>BadInput</c>: name,
/// arguments, environment, exit code, says, never), so the cases fold into it as they are once it is on main;
/// <c>{registry}</c> is an open registry's address, <c>{locked}</c> one behind htpasswd, <c>{cosign}</c> the fake cosign.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RegistryCollection.Name)]
public sealed class PublishBadInputs(RegistryBinaryFixture binary) : IAsyncLifetime
{
    private const string Password = "pw-bad-input-4e1f";
    private const string PrivateKey = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nYmFkLWlucHV0LWtleQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----";

    private readonly RecordingLog _log = new();
    private readonly SecretRegistry _secrets = new();
    private readonly FakeCosign _cosign = new();
    private EmbeddedRegistry _open = null!;
    private EmbeddedRegistry _locked = null!;

    /// <param name="Image">Run an image build (<see cref="BaseImageBuild"/>) instead of the chart release.</param>
    public sealed record Case(string Name, string[] Arguments, bool Image = false)
    {
        public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

        public int ExitCode { get; init; } = ExitCodes.Failed;

        public string[] Says { get; init; } = [];

        public string[] Never { get; init; } = [];

        public override string ToString() => Name;
    }

    private static readonly Case[] Cases =
    [
        new("registry that is not there", ["--registry", "127.0.0.1:9"])
        {
            Says = ["Registry 127.0.0.1:9 is not reachable", "Connection refused", "check --registry ('127.0.0.1:9')", "Nothing was pushed."],
        },
        new("registry user without a password", ["--registry", "{locked}", "--registry-username", "releaser"])
        {
            Says = ["--registry-username is 'releaser' but no registry password is set", "SLIPWAY_REGISTRY_PASSWORD"],
        },
        new("registry password without a user", ["--registry", "{locked}"])
        {
            Environment = new Dictionary<string, string> { ["SLIPWAY_REGISTRY_PASSWORD"] = Password },
            Says = ["A registry password is set (SLIPWAY_REGISTRY_PASSWORD or --registry-password) but no --registry-username"],
            Never = [Password],
        },
        new("registry password that is wrong", ["--registry", "{locked}", "--registry-username", "releaser", "--registry-password", "wrong-" + Password])
        {
            Says = ["refused the credentials of user 'releaser' (a wrong or expired password or token)", "(401 ", "Next step: the password or token in SLIPWAY_REGISTRY_PASSWORD"],
            Never = ["wrong-" + Password],
        },
        new("registry password that is missing", ["--registry", "{locked}"])
        {
            Says = ["asks for credentials (401 at its API root) and none were given", "set --registry-username"],
        },
        new("signature required without an identity", ["--registry", "{registry}", "--require-signature"])
        {
            Says = ["no signing identity; this run must sign (--require-signature): give --cosign-key, or run in GitHub Actions with 'id-token: write'. Nothing was pushed."],
        },
        new("signature required in GitHub Actions without id-token", ["--registry", "{registry}", "--require-signature", "--cosign", "{cosign}"])
        {
            Environment = new Dictionary<string, string> { ["CI"] = "true", ["GITHUB_ACTIONS"] = "true" },
            Says = ["GitHub Actions without an OIDC token (grant the job 'id-token: write')", "this run must sign"],
        },
        new("cosign key without its public key", ["--registry", "{registry}", "--cosign", "{cosign}", "--cosign-key", PrivateKey])
        {
            Says = ["VerifySignature needs the matching public key: give --cosign-public-key", "Nothing was pushed."],
            Never = ["YmFkLWlucHV0LWtleQ=="],
        },
        new("keyless outside GitHub Actions without the identity to expect", ["--registry", "{registry}", "--cosign", "{cosign}"])
        {
            Environment = new Dictionary<string, string> { ["ACTIONS_ID_TOKEN_REQUEST_URL"] = "https://token.invalid/", ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = "request-token" },
            Says = ["GITHUB_REPOSITORY and GITHUB_REF are not both set", "give --certificate-identity"],
            Never = ["request-token"],
        },
        new("keyless from a workflow other than the publish workflow", ["--registry", "{registry}", "--cosign", "{cosign}"])
        {
            Environment = new Dictionary<string, string>
            {
                ["ACTIONS_ID_TOKEN_REQUEST_URL"] = "https://token.invalid/",
                ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = "request-token",
                ["GITHUB_REPOSITORY"] = "acme/beacon",
                ["GITHUB_REF"] = "refs/heads/main",
                ["GITHUB_WORKFLOW_REF"] = "acme/beacon/.github/workflows/nightly.yml@refs/heads/main",
            },
            Says = ["this run's workflow is https://github.com/acme/beacon/.github/workflows/nightly.yml@refs/heads/main", "publish.yml@refs/heads/main"],
        },
        new("cosign that cannot be started", ["--registry", "{registry}", "--cosign", "/nonexistent/cosign", "--cosign-key", PrivateKey, "--cosign-public-key", "-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----"])
        {
            Says = ["there is no cosign to sign with: --cosign (SLIPWAY_COSIGN) names '/nonexistent/cosign', which does not exist", "Next step: install cosign v3.0.6", "--cosign <path>. Nothing was pushed."],
            Never = ["YmFkLWlucHV0LWtleQ=="],
        },
        new("base image that the registry does not have", ["--registry", "{registry}", "--base-image", "{registry}/nothere:1"], Image: true)
        {
            Says = ["--base-image {registry}/nothere:1 cannot be used: the registry has no such image", "Next step: fix the reference"],
            Never = ["dotnet publish", "MSB", "CONTAINER1015"],
        },
        new("base image on a registry that is not there", ["--registry", "{registry}", "--base-image", "127.0.0.1:9/runtime-deps:1"], Image: true)
        {
            Says = ["--base-image 127.0.0.1:9/runtime-deps:1 cannot be used: Could not reach registry '127.0.0.1:9'"],
            Never = ["dotnet publish", "MSB"],
        },
        new("base image that is no reference", ["--registry", "{registry}", "--base-image", "runtime-deps"], Image: true)
        {
            Says = ["--base-image: 'runtime-deps' does not start with a registry host", "Next step"],
            Never = ["dotnet publish"],
        },
    ];

    public static TheoryData<string> Names => [.. Cases.Select(input => input.Name)];

    public async Task InitializeAsync()
    {
        _secrets.Register(Password);
        _open = await EmbeddedRegistry.StartAsync(binary.BinaryPath, new ProcessRunner(_log, _secrets), _log, Directory.CreateTempSubdirectory);
        _locked = await EmbeddedRegistry.StartAsync(binary.BinaryPath, new ProcessRunner(_log, _secrets), _log, Directory.CreateTempSubdirectory, new RegistryCredentials("releaser", Password));
    }

    public async Task DisposeAsync()
    {
        await _open.StopAsync();
        await _locked.StopAsync();
        _cosign.Dispose();
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_bad_input_is_refused_with_its_exit_code_and_a_clear_message_and_nothing_is_published(string name)
    {
        var input = Cases.Single(candidate => candidate.Name == name);
        using var workspace = new PublishWorkspace();
        var temporaryBefore = RunTemporaryFolders();

        var arguments = input.Arguments.Select(Expand).ToArray();
        var (exitCode, output) = input.Image
            ? await InProcessBuild.RunAsync<BaseImageBuild>(workspace.Root, arguments, input.Environment)
            : await InProcessBuild.RunAsync<ChartRelease>(workspace.Root, arguments, input.Environment);

        Assert.True(input.ExitCode == exitCode, $"{name}: exit code {exitCode}, expected {input.ExitCode}\n{output}");
        foreach (var words in input.Says.Select(Expand))
            Assert.True(output.Contains(words, StringComparison.Ordinal), $"{name}: the output does not say '{words}'\n{output}");
        var logFile = await File.ReadAllTextAsync(Path.Combine(workspace.Root, ".nuke", "temp", "build.log"));
        foreach (var secret in input.Never.Select(Expand))
            Assert.True(!output.Contains(secret, StringComparison.Ordinal) && !logFile.Contains(secret, StringComparison.Ordinal), $"{name}: '{secret}' was shown\n{output}");
        foreach (var registry in new[] { _open, _locked })
        {
            var client = new OciRegistryClient(new HttpClient(), _secrets, _log);
            var credentials = registry == _locked ? new RegistryCredentials("releaser", Password) : null;
            Assert.Empty(await client.ListTagsAsync(registry.Address, "charts/beacon", credentials));
            Assert.Empty(await client.ListTagsAsync(registry.Address, "beacon", credentials));
        }

        Assert.Equal(temporaryBefore, RunTemporaryFolders());
    }

    [Fact]
    public void Case_names_are_unique() => Assert.Equal(Cases.Length, Cases.Select(input => input.Name).Distinct().Count());

    private string Expand(string text) => text
        .Replace("{registry}", _open.Address, StringComparison.Ordinal)
        .Replace("{locked}", _locked.Address, StringComparison.Ordinal)
        .Replace("{cosign}", _cosign.Executable, StringComparison.Ordinal);

    /// <summary>The temporary folders a publish makes: the embedded registry's, helm's empty homes, cosign's docker config.</summary>
    private static string[] RunTemporaryFolders() =>
        [.. new[] { "slipway-registry-*", "slipway-anonymous-helm-*", "slipway-cosign-*" }.SelectMany(pattern => Directory.EnumerateDirectories(Path.GetTempPath(), pattern)).Order()];

    private sealed class ChartRelease : SlipwayBuild, IRelease
    {
        RegistryRetry IPublishRegistry.RegistryRetry => Shared(() => new RegistryRetry(Log, SmallImageRelease.FastRetries));

        Target Default => _ => _.DependsOn(this.From<IRelease>().Publish);
    }

    /// <summary>The image stage alone (registry, version, base image, SDK): a base the registry cannot give is refused before the SDK runs.</summary>
    private sealed class BaseImageBuild : SlipwayBuild, IContainerImage
    {
        string IContainerImage.ImageProject => "src/Beacon/Beacon.csproj";

        RegistryRetry IPublishRegistry.RegistryRetry => Shared(() => new RegistryRetry(Log, SmallImageRelease.FastRetries));

        Target Default => _ => _.DependsOn(this.From<IContainerImage>().ImageBuild);
    }
}
