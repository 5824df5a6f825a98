using Slipway.Release.Containers;
using Slipway.Release.Oci;
using Slipway.Release.Publishing;
using Slipway.Release.Registry;
using Slipway.Release.Tests.Publishing;

namespace Slipway.Release.Tests.BadInputs;

/// <summary>
/// Publishing: registries, credentials, signing, the image's base and the tree, each refused before anything is pushed
/// (exit 1: the preflight or the base image selection fails). The chart gates are skipped: they are the chart's cases.
/// </summary>
public sealed partial class BadInputCatalogue
{
    private const string Password = BadInputRegistries.Password;
    private const string PrivateKey = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nYmFkLWlucHV0LWtleQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----";
    private const string PublicKey = "-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----";

    private static BadInput[] Publishing =>
    [
        Publish("registry that is not there", "--registry", "127.0.0.1:9") with
        {
            Says = ["Registry 127.0.0.1:9 is not reachable", "Connection refused", "check --registry ('127.0.0.1:9')", "Nothing was pushed."],
        },
        Publish("registry user without a password", "--registry", "{locked}", "--registry-username", "releaser") with
        {
            Says = ["--registry-username is 'releaser' but no registry password is set", "SLIPWAY_REGISTRY_PASSWORD"],
        },
        Publish("registry password without a user", "--registry", "{locked}") with
        {
            Environment = new Dictionary<string, string> { ["SLIPWAY_REGISTRY_PASSWORD"] = Password },
            Says = ["A registry password is set (SLIPWAY_REGISTRY_PASSWORD or --registry-password) but no --registry-username"],
            Never = [Password],
        },
        Publish("registry password that is wrong", "--registry", "{locked}", "--registry-username", "releaser", "--registry-password", "wrong-" + Password) with
        {
            Says = ["refused the credentials of user 'releaser' (a wrong or expired password or token)", "(401 ", "Next step: the password or token in SLIPWAY_REGISTRY_PASSWORD"],
            Never = ["wrong-" + Password],
        },
        Publish("registry password that is missing", "--registry", "{locked}") with
        {
            Says = ["asks for credentials (401 at its API root) and none were given", "set --registry-username"],
        },
        Publish("signature required without an identity", "--registry", "{registry}", "--require-signature") with
        {
            Says = ["no signing identity; this run must sign (--require-signature): give --cosign-key, or run in GitHub Actions with 'id-token: write'. Nothing was pushed."],
        },
        Publish("signature required in GitHub Actions without id-token", "--registry", "{registry}", "--require-signature", "--cosign", "{cosign}") with
        {
            Environment = new Dictionary<string, string> { ["CI"] = "true", ["GITHUB_ACTIONS"] = "true" },
            Says = ["GitHub Actions without an OIDC token (grant the job 'id-token: write')", "this run must sign"],
        },
        Publish("cosign key without its public key", "--registry", "{registry}", "--cosign", "{cosign}", "--cosign-key", PrivateKey) with
        {
            Says = ["VerifySignature needs the matching public key: give --cosign-public-key", "Nothing was pushed."],
            Never = ["YmFkLWlucHV0LWtleQ=="],
        },
        Publish("keyless outside GitHub Actions without the identity to expect", "--registry", "{registry}", "--cosign", "{cosign}") with
        {
            Environment = new Dictionary<string, string> { ["ACTIONS_ID_TOKEN_REQUEST_URL"] = "https://token.invalid/", ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = "request-token" },
            Says = ["GITHUB_REPOSITORY and GITHUB_REF are not both set", "give --certificate-identity"],
            Never = ["request-token"],
        },
        Publish("keyless from a workflow other than the publish workflow", "--registry", "{registry}", "--cosign", "{cosign}") with
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
        Publish("cosign named with --cosign that does not exist", "--registry", "{registry}", "--cosign", "/nonexistent/cosign", "--cosign-key", PrivateKey, "--cosign-public-key", PublicKey) with
        {
            Says = ["there is no cosign to sign with: --cosign (SLIPWAY_COSIGN) names '/nonexistent/cosign', which does not exist", "leave it unset to use the pinned cosign v3.0.6", "Nothing was pushed."],
            Never = ["YmFkLWlucHV0LWtleQ=="],
        },
        Publish("a run that must sign where no cosign can be had", "--registry", "{registry}", "--cosign-key", PrivateKey, "--cosign-public-key", PublicKey) with
        {
            // git is there, cosign is not (no package of it reaches these machines, nor the download).
            Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["CI"] = "true" },
            Says = ["This run signs (a cosign key was given), but there is no cosign to sign with: No usable cosign: cosign is not on PATH", "name one with --cosign <path>", "sigstore/cosign-installer (cosign-release: v3.0.6)", "Nothing was pushed."],
            Never = ["YmFkLWlucHV0LWtleQ=="],
        },
        Publish("a dirty tree (reproduction 3)") with
        {
            Arrange = workspace =>
            {
                workspace.AddShippedChart();
                File.AppendAllText(Path.Combine(workspace.Root, "charts", "beacon", "values.yaml"), "# an edit that is not committed\n");
            },
            Environment = new Dictionary<string, string> { ["CI"] = "true" },
            Says = ["Publish refuses a working tree with uncommitted changes (1: charts/beacon/values.yaml): what it would release is not commit ", "Commit or stash them and run again, or pass --allow-dirty to release them as 0.1.0-ci.2.g", ".dirty-", "Nothing was pushed."],
        },
        ImageStage("base image that the registry does not have", "--registry", "{registry}", "--base-image", "{registry}/nothere:1") with
        {
            Says = ["--base-image {registry}/nothere:1 cannot be used: the registry has no such image", "Next step: fix the reference"],
            Never = ["dotnet publish", "MSB", "CONTAINER1015"],
        },
        ImageStage("base image on a registry that is not there", "--registry", "{registry}", "--base-image", "127.0.0.1:9/runtime-deps:1") with
        {
            Says = ["--base-image 127.0.0.1:9/runtime-deps:1 cannot be used: Could not reach registry '127.0.0.1:9'"],
            Never = ["dotnet publish", "MSB"],
        },
        ImageStage("base image that is no reference", "--registry", "{registry}", "--base-image", "runtime-deps") with
        {
            Says = ["--base-image: 'runtime-deps' does not start with a registry host", "Next step"],
            Never = ["dotnet publish"],
        },
    ];

    /// <summary>
    /// The chart release (no image), on a committed copy of the shipped chart, with the chart gates skipped, and the packaging
    /// (which a chart-only release runs beside the preflight) too: what is checked is that nothing reaches the registry.
    /// </summary>
    private static BadInput Publish(string name, params string[] arguments) =>
        new(name, [.. arguments, "--skip", "ChartLint", "ChartRender", "ManifestValidate", "ChartPolicy", "ChartPackage"])
        {
            Arrange = workspace => workspace.AddShippedChart(),
            ExitCode = ExitCodes.Failed,
            Build = () => new ChartRelease(),
        };

    /// <summary>The image stage alone (registry, version, base image, SDK): a base the registry cannot give is refused before the SDK runs.</summary>
    private static BadInput ImageStage(string name, params string[] arguments) =>
        new(name, arguments) { ExitCode = ExitCodes.Failed, Build = () => new BaseImageBuild() };

    private sealed class ChartRelease : SlipwayBuild, IRelease
    {
        RegistryRetry IPublishRegistry.RegistryRetry => Shared(() => new RegistryRetry(Log, SmallImageRelease.FastRetries));

        Target Default => _ => _.DependsOn(this.From<IRelease>().Publish);
    }

    private sealed class BaseImageBuild : SlipwayBuild, IContainerImage
    {
        string IContainerImage.ImageProject => "src/Beacon/Beacon.csproj";

        RegistryRetry IPublishRegistry.RegistryRetry => Shared(() => new RegistryRetry(Log, SmallImageRelease.FastRetries));

        Target Default => _ => _.DependsOn(this.From<IContainerImage>().ImageBuild);
    }
}
