using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Slipway.FakeCluster;

/// <summary>
/// kind 0.32.0: clusters live in the state (a "docker" without a daemon fails like kind does), create writes the
/// kubeconfig kind writes, and load image-archive imports an archive the way containerd's import does: OCI layout
/// preferred, every blob checked against its digest, images named by <c>io.containerd.image.name</c>.
/// </summary>
public static class FakeKind
{
    private const string NoRuntime = "ERROR: failed to list clusters: command \"docker ps -a --filter label=io.x-k8s.kind.cluster --format '{{.Label \"io.x-k8s.kind.cluster\"}}'\" failed with error: exit status 1";

    private static readonly Dictionary<char, string> Shorthands = new() { ['n'] = "name" };

    public static int Run(IReadOnlyList<string> argv, TextWriter stdout, TextWriter stderr, string statePath)
    {
        var args = Arguments.Parse(argv, new HashSet<string> { "retain" }, Shorthands);
        var command = string.Join(' ', args.Positionals.Take(2));
        if (args.Positionals.FirstOrDefault() == "version")
        {
            stdout.WriteLine("kind v0.32.0 go1.26.3 linux/amd64");
            return 0;
        }

        var name = args.Flag("name") ?? "kind";
        var context = $"kind-{name}";
        return FakeState.Update(statePath, state =>
        {
            if (state.Scenario.KindNoRuntime)
                throw new FakeExit(1, command == "get clusters" ? NoRuntime : $"ERROR: failed to create cluster: failed to detect any supported node provider");
            var exists = state.Clusters.TryGetValue(context, out var cluster) && cluster.KindName == name;
            switch (command)
            {
                case "get clusters":
                    var names = state.Clusters.Values.Select(item => item.KindName).OfType<string>().Order(StringComparer.Ordinal).ToList();
                    if (names.Count == 0)
                        stderr.WriteLine("No kind clusters found.");
                    foreach (var item in names)
                        stdout.WriteLine(item);
                    return 0;
                case "create cluster":
                    if (exists)
                        throw new FakeExit(1, $"ERROR: failed to create cluster: node(s) already exist for a cluster with the name \"{name}\"");
                    var server = $"https://127.0.0.1:{RandomNumberGenerator.GetInt32(30000, 60000).ToString(CultureInfo.InvariantCulture)}";
                    state.Clusters[context] = FakeClusterState.New(server, name);
                    Kubeconfig.Upsert(Kubeconfig.Locate(args.Flag("kubeconfig")), context, server);
                    stderr.WriteLine($"Creating cluster \"{name}\" ...\n ✓ Ensuring node image (kindest/node:v1.36.1) 🖼\n ✓ Preparing nodes 📦\n ✓ Writing configuration 📜\n ✓ Starting control-plane 🕹️\n ✓ Installing CNI 🔌\n ✓ Installing StorageClass 💾\n ✓ Waiting ≤ {args.Flag("wait") ?? "0s"} for control-plane = Ready ⏳\n • Ready after 14s 💚\nSet kubectl context to \"{context}\"\nYou can now use your cluster with:\n\nkubectl cluster-info --context {context} --kubeconfig {args.Flag("kubeconfig")}\n\nHave a nice day! 👋");
                    return 0;
                case "export kubeconfig":
                    if (!exists)
                        throw new FakeExit(1, $"ERROR: could not locate any control plane nodes for cluster named '{name}'. Use the --name option to select a different cluster");
                    Kubeconfig.Upsert(Kubeconfig.Locate(args.Flag("kubeconfig")), context, cluster!.Server);
                    stderr.WriteLine($"Set kubectl context to \"{context}\"");
                    return 0;
                case "delete cluster":
                    stderr.WriteLine($"Deleting cluster \"{name}\" ...");
                    if (exists)
                    {
                        state.Clusters.Remove(context);
                        stderr.WriteLine($"Deleted nodes: [\"{name}-control-plane\"]");
                    }

                    Kubeconfig.Remove(Kubeconfig.Locate(args.Flag("kubeconfig")), context);
                    return 0;
                case "load image-archive":
                    if (!exists)
                        throw new FakeExit(1, $"ERROR: no nodes found for cluster \"{name}\"");
                    foreach (var image in Import(args.Positionals[2], name))
                    {
                        cluster!.Images.RemoveAll(loaded => loaded.Name == image.Name);
                        cluster.Images.Add(image);
                    }

                    return 0;
                default:
                    throw new FakeExit(1, $"ERROR: unknown command \"{command}\" for \"kind\"");
            }
        });
    }

    /// <summary>What containerd's import stores from an OCI layout archive; its errors as kind reports them.</summary>
    private static List<LoadedImage> Import(string archive, string cluster)
    {
        string Failed(string detail) =>
            $"ERROR: failed to load image: command \"docker exec --privileged -i {cluster}-control-plane ctr --namespace=k8s.io images import --all-platforms --digests --snapshotter=overlayfs -\" failed with error: exit status 1\nCommand Output: {detail}";

        if (!File.Exists(archive))
            throw new FakeExit(1, $"ERROR: stat {archive}: no such file or directory");
        var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        byte[]? index = null;
        using (var file = File.OpenRead(archive))
        using (var tar = new TarReader(file))
        {
            while (tar.GetNextEntry(copyData: true) is { } entry)
            {
                if (entry.DataStream is null)
                    continue;
                using var content = new MemoryStream();
                entry.DataStream.CopyTo(content);
                if (entry.Name == "index.json")
                    index = content.ToArray();
                else if (entry.Name.StartsWith("blobs/sha256/", StringComparison.Ordinal))
                    blobs["sha256:" + entry.Name["blobs/sha256/".Length..]] = content.ToArray();
            }
        }

        if (index is null)
            throw new FakeExit(1, Failed("ctr: unrecognized image format"));

        byte[] Blob(string digest)
        {
            if (!blobs.TryGetValue(digest, out var content))
                throw new FakeExit(1, Failed($"ctr: content digest {digest}: not found"));
            var actual = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
            return actual == digest
                ? content
                : throw new FakeExit(1, Failed($"ctr: failed to ingest \"blobs/sha256/{digest[7..]}\": unexpected commit digest {actual}, expected {digest}: failed precondition"));
        }

        void Manifest(string digest)
        {
            using var manifest = JsonDocument.Parse(Blob(digest));
            if (manifest.RootElement.TryGetProperty("manifests", out var children))
            {
                foreach (var child in children.EnumerateArray())
                    Manifest(child.GetProperty("digest").GetString()!);
                return;
            }

            foreach (var blob in manifest.RootElement.GetProperty("layers").EnumerateArray().Append(manifest.RootElement.GetProperty("config")))
                Blob(blob.GetProperty("digest").GetString()!);
        }

        var images = new List<LoadedImage>();
        using var document = JsonDocument.Parse(index);
        foreach (var entry in document.RootElement.GetProperty("manifests").EnumerateArray())
        {
            var digest = entry.GetProperty("digest").GetString()!;
            Manifest(digest);
            var annotations = entry.TryGetProperty("annotations", out var found) ? found : default;
            string? Annotation(string key) => annotations.ValueKind == JsonValueKind.Object && annotations.TryGetProperty(key, out var value) ? value.GetString() : null;
            // containerd: the full name annotation as it is; a bare ref name gets the import-<date> prefix.
            var name = Annotation("io.containerd.image.name")
                ?? (Annotation("org.opencontainers.image.ref.name") is { } refName ? (refName.IndexOfAny(['/', ':', '@']) >= 0 ? refName : $"import-{DateTime.UtcNow:yyyy-MM-dd}:{refName}") : null);
            if (name is not null)
                images.Add(new LoadedImage(name, digest));
        }

        return images;
    }
}
