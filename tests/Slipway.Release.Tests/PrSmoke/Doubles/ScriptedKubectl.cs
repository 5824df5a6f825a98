using Slipway.Processes;
using Slipway.Release.Kubernetes;

namespace Slipway.Release.Tests.PrSmoke.Doubles;

/// <summary>
/// An in-memory kubectl for stage tests: every call is recorded as one line (verb and arguments, as kubectl would get
/// them), and each verb answers with what the test scripted (by default: success, nothing found).
/// </summary>
internal sealed class ScriptedKubectl(KubeConnection? connection = null) : IKubectlCli
{
    private readonly List<string> _calls = [];

    /// <summary>The last connection it was bound to: one script plays every cluster.</summary>
    public KubeConnection Connection { get; private set; } = connection ?? new KubeConnection(null, "test-context");

    public List<string> Calls
    {
        get
        {
            lock (_calls)
                return [.. _calls];
        }
    }

    public Func<string?> CurrentContext { get; set; } = () => "test-context";

    public Func<string> ServerVersion { get; set; } = () => "v1.36.1";

    public Func<string, string, CanIAnswer> CanI { get; set; } = (_, _) => new CanIAnswer(true, "yes");

    public Action<string> Create { get; set; } = _ => { };

    /// <summary>(resource, name, namespace, selector) to JSON; null is NotFound.</summary>
    public Func<string, string?, string?, string?, string?> Get { get; set; } = (_, name, _, _) => name is null ? """{"apiVersion":"v1","items":[],"kind":"List"}""" : null;

    public Action<string> DeleteNamespace { get; set; } = _ => { };

    public Action<string> ForceDeletePods { get; set; } = _ => { };

    public Action<string> PatchFinalizers { get; set; } = _ => { };

    public Action<string> Finalize { get; set; } = _ => { };

    public Func<string, string, string> Describe { get; set; } = (resource, name) => $"Name: {name}\nKind: {resource}\n";

    public Func<string, string, bool, string> Logs { get; set; } = (pod, container, previous) => $"log of {pod}/{container}{(previous ? " (previous)" : string.Empty)}\n";

    public IKubectlCli WithConnection(KubeConnection other)
    {
        Connection = other;
        return this;
    }

    public Task<string?> CurrentContextAsync(CancellationToken cancellationToken) => Answer("config current-context", CurrentContext);

    public Task<string?> ServerAsync(CancellationToken cancellationToken) => Answer<string?>("config view", () => "https://127.0.0.1:6443");

    public Task<string> ServerVersionAsync(CancellationToken cancellationToken) => Answer("version", ServerVersion);

    public Task<CanIAnswer> CanIAsync(string verb, string resource, CancellationToken cancellationToken) => Answer($"auth can-i {verb} {resource}", () => CanI(verb, resource));

    public Task CreateAsync(string objectJson, CancellationToken cancellationToken) => Answer($"create {objectJson}", () => Create(objectJson));

    public Task<string?> GetJsonAsync(string resource, string? name, string? inNamespace, string? selector, CancellationToken cancellationToken) =>
        Answer($"get {resource}{(name is null ? string.Empty : " " + name)}{(inNamespace is null ? string.Empty : " -n " + inNamespace)}{(selector is null ? string.Empty : " -l " + selector)}", () => Get(resource, name, inNamespace, selector));

    public Task DeleteNamespaceAsync(string name, CancellationToken cancellationToken) => Answer($"delete namespace {name}", () => DeleteNamespace(name));

    public Task ForceDeletePodsAsync(string inNamespace, CancellationToken cancellationToken) => Answer($"delete pods -n {inNamespace} --force", () => ForceDeletePods(inNamespace));

    public Task PatchNamespaceFinalizersAsync(string name, CancellationToken cancellationToken) => Answer($"patch namespace {name} finalizers", () => PatchFinalizers(name));

    public Task FinalizeNamespaceAsync(string name, CancellationToken cancellationToken) => Answer($"replace --raw /api/v1/namespaces/{name}/finalize", () => Finalize(name));

    public Task<string> DescribeAsync(string resource, string name, string inNamespace, CancellationToken cancellationToken) => Answer($"describe {resource} {name}", () => Describe(resource, name));

    public Task<string> LogsAsync(string inNamespace, string pod, string container, bool previous, int limitBytes, CancellationToken cancellationToken) =>
        Answer($"logs {pod} -c {container}{(previous ? " --previous" : string.Empty)}", () => Logs(pod, container, previous));

    public Task<ToolResult> PortForwardAsync(string inNamespace, string target, IReadOnlyList<PortMapping> ports, CancellationToken lifetime) =>
        throw new NotSupportedException("Port-forwards are tested against the fake kubectl process.");

    public static KubectlException NotFound(string what) => new($"kubectl failed: Error from server (NotFound): {what} not found", 1, $"Error from server (NotFound): {what} not found");

    public static KubectlException Forbidden(string what) => new($"kubectl failed: Error from server (Forbidden): {what}", 1, $"Error from server (Forbidden): {what}");

    private Task<T> Answer<T>(string call, Func<T> answer)
    {
        lock (_calls)
            _calls.Add(call);
        return Task.FromResult(answer());
    }

    private Task Answer(string call, Action answer)
    {
        lock (_calls)
            _calls.Add(call);
        answer();
        return Task.CompletedTask;
    }
}
