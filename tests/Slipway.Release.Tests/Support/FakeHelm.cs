using Slipway.Release.Helm;

namespace Slipway.Release.Tests.Support;

/// <summary>helm's registry verbs as a script: records each call and answers as the test says; no process runs.</summary>
internal sealed class FakeHelm : IHelmRegistryClient
{
    private readonly List<string> _calls = [];

    /// <summary>What <c>helm push</c> does with a package path; unset, a push fails the test.</summary>
    public Func<string, HelmPushResult> Push { get; set; } = package => throw new InvalidOperationException($"unexpected helm push of {package}");

    /// <summary>The bytes <c>helm pull</c> writes; unset, a pull fails the test.</summary>
    public Func<byte[]> Pull { get; set; } = () => throw new InvalidOperationException("unexpected helm pull");

    public IReadOnlyList<string> Calls => [.. _calls];

    /// <summary>This helm with its config home in <paramref name="stateDirectory"/>: recorded with whether that folder was empty.</summary>
    public FakeHelm At(string stateDirectory)
    {
        _calls.Add($"home {(Directory.EnumerateFileSystemEntries(stateDirectory).Any() ? "with files" : "empty")}");
        return this;
    }

    public Task LoginAsync(string registry, string username, string password, bool plainHttp, CancellationToken cancellationToken = default)
    {
        _calls.Add($"login {registry} {username}");
        return Task.CompletedTask;
    }

    public Task LogoutAsync(string registry, CancellationToken cancellationToken = default)
    {
        _calls.Add($"logout {registry}");
        return Task.CompletedTask;
    }

    public Task<HelmPushResult> PushAsync(string chartPackage, string ociReference, bool plainHttp, CancellationToken cancellationToken = default)
    {
        _calls.Add($"push {Path.GetFileName(chartPackage)} {ociReference}");
        return Task.FromResult(Push(chartPackage));
    }

    public async Task<string> PullAsync(string chartReference, string version, string destinationDirectory, bool plainHttp, CancellationToken cancellationToken = default)
    {
        _calls.Add($"pull {chartReference} {version}");
        Directory.CreateDirectory(destinationDirectory);
        var path = Path.Combine(destinationDirectory, $"{chartReference.Split('/')[^1]}-{version}.tgz");
        await File.WriteAllBytesAsync(path, Pull(), cancellationToken);
        return path;
    }
}
