namespace Slipway.Release.Tests.Support;

/// <summary>A fresh directory under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("slipway-test-").FullName;
    }

    public string Path { get; }

    /// <summary>A fresh directory that can be the root of an in-process build: it holds <c>.nuke/</c>.</summary>
    public static TempDirectory ForBuild()
    {
        var root = new TempDirectory();
        Directory.CreateDirectory(root.Combine(".nuke"));
        return root;
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>What a build's <c>CreateTemporaryDirectory</c> does, here: a new folder named <paramref name="prefix"/> plus a random suffix.</summary>
    public DirectoryInfo CreateDirectory(string prefix) => Directory.CreateDirectory(Combine(prefix + Guid.NewGuid().ToString("N")[..8]));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
