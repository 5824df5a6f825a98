using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace Slipway.Release.Containers;

/// <summary>
/// Writes one ordinary gzip member (RFC 1952) whose deflate stream is a concatenation of independently compressed
/// chunks. Each chunk is raw deflate that ends with a sync flush (byte-aligned, no final block) and never refers back
/// past its own start, so chunks compressed at different times (a cache) splice into a valid stream; the member ends
/// with an empty final block and the CRC-32 and length of everything appended. The header has no name and no time.
/// </summary>
internal sealed class ChunkedGzip : IDisposable
{
    /// <summary>The zlib level of every chunk (6, zlib's default: the same ratio as <see cref="CompressionLevel.Optimal"/>).</summary>
    public const int Level = 6;

    // ID1 ID2, CM=deflate, no flags, MTIME=0, XFL=0, OS=255 (unknown).
    private static readonly byte[] Header = [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff];

    // A fixed-Huffman block with BFINAL set and only the end-of-block code.
    private static readonly byte[] FinalEmptyBlock = [0x03, 0x00];

    private readonly Stream _output;
    private readonly Crc32 _crc = new();
    private readonly IncrementalHash _uncompressedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;

    public ChunkedGzip(Stream output)
    {
        _output = output;
        _output.Write(Header);
    }

    /// <summary>Raw deflate of <paramref name="data"/>, ending in a sync flush: a chunk for <see cref="Append"/>.</summary>
    public static byte[] Deflate(ReadOnlySpan<byte> data)
    {
        using var compressed = new MemoryStream();
        var deflate = new DeflateStream(compressed, new ZLibCompressionOptions { CompressionLevel = Level }, leaveOpen: true);
        deflate.Write(data);
        // Flush is a sync flush; the bytes are taken before Dispose would add a final block.
        deflate.Flush();
        var chunk = compressed.ToArray();
        deflate.Dispose();
        return chunk;
    }

    /// <param name="uncompressed">What <paramref name="chunk"/> inflates to.</param>
    /// <param name="chunk">From <see cref="Deflate"/> of exactly those bytes.</param>
    public void Append(ReadOnlySpan<byte> uncompressed, byte[] chunk)
    {
        _crc.Append(uncompressed);
        _uncompressedHash.AppendData(uncompressed);
        _length += uncompressed.Length;
        _output.Write(chunk);
    }

    /// <summary>Ends the member and returns the sha256 digest of everything appended (a layer's <c>diff_id</c>).</summary>
    public string Finish()
    {
        _output.Write(FinalEmptyBlock);
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)_length));
        _output.Write(trailer);
        return "sha256:" + Convert.ToHexStringLower(_uncompressedHash.GetHashAndReset());
    }

    public void Dispose() => _uncompressedHash.Dispose();
}
