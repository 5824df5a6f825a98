using System.Formats.Tar;
using System.IO.Compression;

namespace Slipway.Release.Tools;

/// <summary>Takes one entry, or one folder, out of a tar.gz or zip archive; the format is read from the content, not the name.</summary>
internal static class ArchiveEntries
{
    public static async Task ExtractFileAsync(string archive, string entryName, string destination, CancellationToken cancellationToken)
    {
        if (await IsZipAsync(archive, cancellationToken))
        {
            using var zip = ZipFile.OpenRead(archive);
            var entry = zip.GetEntry(entryName) ?? throw Missing(archive, entryName);
            await entry.ExtractToFileAsync(destination, overwrite: false, cancellationToken);
            return;
        }

        await foreach (var entry in TarEntriesAsync(archive, cancellationToken))
        {
            if (Normalise(entry.Name) != entryName || entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                continue;
            await entry.ExtractToFileAsync(destination, overwrite: false, cancellationToken);
            return;
        }

        throw Missing(archive, entryName);
    }

    /// <summary>Every regular file under <paramref name="folder"/> (ending in <c>/</c>), written below <paramref name="destination"/> without that prefix.</summary>
    public static async Task ExtractFolderAsync(string archive, string folder, string destination, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        var found = false;
        async Task WriteAsync(string name, Func<string, Task> extract)
        {
            var target = Path.GetFullPath(Path.Combine(destination, name[folder.Length..]));
            if (!target.StartsWith(root, StringComparison.Ordinal))
                throw new ToolProvisioningException($"{archive} has an entry outside its folder: {name}");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await extract(target);
            found = true;
        }

        if (await IsZipAsync(archive, cancellationToken))
        {
            using var zip = ZipFile.OpenRead(archive);
            foreach (var entry in zip.Entries.Where(entry => entry.FullName.StartsWith(folder, StringComparison.Ordinal) && !entry.FullName.EndsWith('/')))
                await WriteAsync(entry.FullName, target => entry.ExtractToFileAsync(target, overwrite: false, cancellationToken));
        }
        else
        {
            await foreach (var entry in TarEntriesAsync(archive, cancellationToken))
            {
                var name = Normalise(entry.Name);
                if (name.StartsWith(folder, StringComparison.Ordinal) && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    await WriteAsync(name, target => entry.ExtractToFileAsync(target, overwrite: false, cancellationToken));
            }
        }

        if (!found)
            throw Missing(archive, folder);
    }

    private static async IAsyncEnumerable<TarEntry> TarEntriesAsync(string archive, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(archive);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            yield return entry;
    }

    private static async Task<bool> IsZipAsync(string archive, CancellationToken cancellationToken)
    {
        var magic = new byte[4];
        await using var file = File.OpenRead(archive);
        return await file.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken) == magic.Length
            && magic is [(byte)'P', (byte)'K', 3, 4];
    }

    private static string Normalise(string name) => name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name;

    private static ToolProvisioningException Missing(string archive, string entry) => new($"{Path.GetFileName(archive)} holds no {entry}");
}
