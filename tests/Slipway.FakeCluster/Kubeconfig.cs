using YamlDotNet.RepresentationModel;

namespace Slipway.FakeCluster;

/// <summary>The parts of a kubeconfig the fakes use: which context is current and which server each context's cluster has.</summary>
public sealed class Kubeconfig
{
    private Kubeconfig(string? currentContext, Dictionary<string, string> servers)
    {
        CurrentContext = currentContext;
        Servers = servers;
    }

    public string? CurrentContext { get; }

    /// <summary>Server URL by context name.</summary>
    public IReadOnlyDictionary<string, string> Servers { get; }

    /// <summary>--kubeconfig, else KUBECONFIG (its first file), else ~/.kube/config, as kubectl and helm look for it.</summary>
    public static string Locate(string? flag) =>
        flag ?? (Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } variable
            ? variable.Split(':')[0]
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config"));

    public static Kubeconfig Load(string path)
    {
        if (!File.Exists(path))
            return new Kubeconfig(null, []);
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
            yaml.Load(reader);
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
            return new Kubeconfig(null, []);

        var clusters = Items(root, "clusters").ToDictionary(item => Scalar(item, "name") ?? string.Empty, item => Scalar(Child(item, "cluster"), "server") ?? string.Empty);
        var servers = Items(root, "contexts").ToDictionary(
            item => Scalar(item, "name") ?? string.Empty,
            item => clusters.GetValueOrDefault(Scalar(Child(item, "context"), "cluster") ?? string.Empty) ?? string.Empty);
        return new Kubeconfig(Scalar(root, "current-context") is { Length: > 0 } current ? current : null, servers);
    }

    /// <summary>Adds (or replaces) a context with its own cluster and user and makes it current, as kind does.</summary>
    public static void Upsert(string path, string context, string server)
    {
        var entries = Entries(path).Where(entry => entry.Context != context).Append((Context: context, Server: server)).ToList();
        Save(path, entries, context);
    }

    /// <summary>Removes a context (and its cluster and user), as kind delete cluster does.</summary>
    public static void Remove(string path, string context)
    {
        if (!File.Exists(path))
            return;
        var current = Load(path).CurrentContext;
        var entries = Entries(path).Where(entry => entry.Context != context).ToList();
        Save(path, entries, current == context ? null : current);
    }

    private static List<(string Context, string Server)> Entries(string path) => [.. Load(path).Servers.Select(pair => (pair.Key, pair.Value))];

    private static void Save(string path, List<(string Context, string Server)> entries, string? current)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var text = new System.Text.StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
        foreach (var (context, server) in entries)
            text.Append($"- cluster:\n    server: {server}\n  name: {context}\n");
        text.Append("contexts:\n");
        foreach (var (context, _) in entries)
            text.Append($"- context:\n    cluster: {context}\n    user: {context}\n  name: {context}\n");
        text.Append($"current-context: \"{current ?? string.Empty}\"\npreferences: {{}}\nusers:\n");
        foreach (var (context, _) in entries)
            text.Append($"- name: {context}\n  user:\n    token: fake-token\n");
        File.WriteAllText(path, text.ToString());
    }

    private static IEnumerable<YamlMappingNode> Items(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode sequence ? sequence.Children.OfType<YamlMappingNode>() : [];

    private static YamlMappingNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;
}
