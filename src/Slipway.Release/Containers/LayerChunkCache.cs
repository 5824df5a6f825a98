using System.Collections.Concurrent;
using System.IO.Hashing;

namespace Slipway.Release.Containers;

/// <summary>
/// The deflated chunks of the last repacked layers, one file each, named by the 128-bit XXH3 hash of what the chunk inflates
/// to (fast, and no adversary: whoever controls the files controls the image anyway), so
/// that a rebuild compresses only the tar entries that changed (a new app assembly) and copies the rest. A chunk depends
/// only on its bytes, the level and the runtime's zlib, so a cached chunk equals a fresh one and a layer's digest never
/// depends on the cache: the folder is per level and runtime version, and a file whose stored checksum does not match is
/// compressed again. <see cref="Prune"/> deletes the chunks the last build did not use, so the folder stays the size of
/// the last layers.
/// </summary>
internal sealed class LayerChunkCache
{
    private readonly string? _root;
    private readonly string? _directory;
    private readonly ConcurrentDictionary<string, byte> _used = new(StringComparer.Ordinal);
    private int _hits;
    private int _misses;

    private LayerChunkCache(string? root, string? directory)
    {
        _root = root;
        _directory = directory;
    }

    public int Hits => _hits;

    public int Misses => _misses;

    /// <summary>No files: every chunk is compressed.</summary>
    public static LayerChunkCache None() => new(null, null);

    /// <summary>The cache under <paramref name="root"/>, in the folder for this level and runtime.</summary>
    public static LayerChunkCache At(string root) =>
        new(root, Directory.CreateDirectory(Path.Combine(root, $"deflate{ChunkedGzip.Level}-dotnet{Environment.Version}")).FullName);

    /// <summary>The chunk for <paramref name="data"/>: the cached one, else freshly deflated (and stored). Safe to call from several threads.</summary>
    public byte[] Deflate(ReadOnlySpan<byte> data)
    {
        var key = Convert.ToHexStringLower(XxHash128.Hash(data));
        _used.TryAdd(key, 0);
        if (_directory is not null && Read(Path.Combine(_directory, key)) is { } cached)
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }

        var chunk = ChunkedGzip.Deflate(data);
        Interlocked.Increment(ref _misses);
        if (_directory is not null)
            Write(Path.Combine(_directory, key), chunk);
        return chunk;
    }

    /// <summary>Deletes every chunk not used since this cache was opened, and the folders of other levels or runtimes.</summary>
    public void Prune()
    {
        if (_root is null || _directory is null)
            return;
        foreach (var other in Directory.EnumerateDirectories(_root).Where(folder => Path.GetFullPath(folder) != _directory))
            Directory.Delete(other, recursive: true);
        foreach (var file in Directory.EnumerateFiles(_directory))
        {
            if (!_used.ContainsKey(Path.GetFileName(file)))
                File.Delete(file);
        }
    }

    // A file holds the chunk's own XXH3 hash (16 bytes), then the chunk: a damaged or cut file is never used.
    private const int ChecksumLength = 16;

    private static byte[]? Read(string file)
    {
        if (!File.Exists(file))
            return null;
        var bytes = File.ReadAllBytes(file);
        if (bytes.Length < ChecksumLength)
            return null;
        var chunk = bytes[ChecksumLength..];
        return XxHash128.Hash(chunk).AsSpan().SequenceEqual(bytes.AsSpan(0, ChecksumLength)) ? chunk : null;
    }

    private static void Write(string file, byte[] chunk)
    {
        var staging = $"{file}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        using (var stream = File.Create(staging))
        {
            stream.Write(XxHash128.Hash(chunk));
            stream.Write(chunk);
        }

        File.Move(staging, file, overwrite: true);
    }
}
