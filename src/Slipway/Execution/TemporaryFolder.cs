namespace Slipway.Execution;

/// <summary>Removes a temp tree for good: also read-only folders (an unpacked image has them), but never through a mount point.</summary>
internal static class TemporaryFolder
{
    private const UnixFileMode Writable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const int Attempts = 5;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Deletes <paramref name="directory"/> and everything in it. Entries that vanish or appear while it deletes are no error: after
    /// a second signal an abandoned target may still remove its own folder inside (an image smoke its unpacked rootfs), so the
    /// delete starts over, a few times, until the tree is gone.
    /// </summary>
    public static void Delete(string directory)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (!Directory.Exists(directory))
                return;
            // A recursive delete would descend into a bind mount (a /dev bound into an image's root) and delete the host's files.
            if (MountPointsUnder(directory).FirstOrDefault() is { } mounted)
                throw new IOException($"'{mounted}' is still mounted; unmount it (umount -l '{mounted}') and delete the folder by hand.");
            try
            {
                DeleteTree(directory);
                return;
            }
            catch (IOException) when (attempt < Attempts)
            {
                // Not found: removed under us; not empty: written under us. Either way, what is left is deleted on the next pass.
                Thread.Sleep(RetryDelay);
            }
        }
    }

    private static void DeleteTree(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (UnauthorizedAccessException)
        {
            MakeWritable(new DirectoryInfo(directory));
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void MakeWritable(DirectoryInfo directory)
    {
        if (OperatingSystem.IsWindows())
            return;
        directory.UnixFileMode |= Writable;
        foreach (var child in directory.EnumerateDirectories())
        {
            if (child.LinkTarget is null)
                MakeWritable(child);
        }
    }

    /// <summary>Mount points at or below <paramref name="directory"/>, from the fifth field of <c>/proc/self/mountinfo</c> (octal escapes decoded).</summary>
    private static IEnumerable<string> MountPointsUnder(string directory)
    {
        const string mountInfo = "/proc/self/mountinfo";
        if (!File.Exists(mountInfo))
            return [];
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        return File.ReadLines(mountInfo)
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length > 4)
            .Select(fields => Unescape(fields[4]))
            .Where(mountPoint => mountPoint == root || mountPoint.StartsWith(root + "/", StringComparison.Ordinal))
            .ToList();
    }

    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
            return field;
        var builder = new System.Text.StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && !field.AsSpan(i + 1, 3).ContainsAnyExceptInRange('0', '7'))
            {
                builder.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                builder.Append(field[i]);
            }
        }

        return builder.ToString();
    }
}
