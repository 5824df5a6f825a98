using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Slipway.Processes;

/// <summary>A process that is still alive, as <c>/proc</c> shows it.</summary>
internal sealed record LiveProcess(int Id, int ParentId, string Name)
{
    public override string ToString() => $"{Id} {Name}";
}

/// <summary>
/// Finds and stops what a run left running (Linux <c>/proc</c>; elsewhere nothing is found): every process whose environment
/// carries the run's marker, their descendants, and, when the run owns this process, every descendant of it. Orphans stay
/// descendants because the owning process is a child subreaper, so a double fork or <c>setsid</c> does not escape.
/// </summary>
internal static class LeftoverProcesses
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private const int PrSetChildSubreaper = 36;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(2);

    /// <summary>Orphaned descendants are re-parented to this process instead of init; false where that is not possible.</summary>
    public static bool BecomeChildSubreaper() => OperatingSystem.IsLinux() && SetChildSubreaper(PrSetChildSubreaper, 1, 0, 0, 0) == 0;

    /// <summary>The live processes that belong to a run: carriers of <paramref name="marker"/> (<c>NAME=value</c>), their descendants, and this process's own when <paramref name="ownsProcess"/>.</summary>
    public static IReadOnlyList<LiveProcess> Find(string marker, bool ownsProcess)
    {
        // A child subreaper with no children has no descendants at all: the common case, and it spares reading all of /proc.
        if (!OperatingSystem.IsLinux() || (ownsProcess && !HasChildren()))
            return [];
        var self = Environment.ProcessId;
        var table = Snapshot();
        var roots = table.Values.Where(process => process.Id != self && CarriesMarker(process.Id, marker)).Select(process => process.Id).ToHashSet();
        if (ownsProcess)
            roots.Add(self);

        var children = table.Values.ToLookup(process => process.ParentId);
        var found = new Dictionary<int, LiveProcess>();
        var pending = new Queue<int>(roots);
        while (pending.TryDequeue(out var id))
        {
            if (id != self && table.TryGetValue(id, out var process) && !found.TryAdd(id, process))
                continue;
            foreach (var child in children[id])
                pending.Enqueue(child.Id);
        }

        return [.. found.Values.OrderBy(process => process.Id)];
    }

    /// <summary>Whether this process has a child (a zombie counts); true where the kernel does not list children.</summary>
    private static bool HasChildren()
    {
        try
        {
            return Directory.EnumerateDirectories("/proc/self/task").Any(task => File.ReadAllText(Path.Combine(task, "children")).Length > 0);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>SIGTERM, up to <paramref name="grace"/> (cut short by <paramref name="hurry"/>) to exit, then SIGKILL; returns those still alive after that.</summary>
    public static async Task<IReadOnlyList<LiveProcess>> StopAsync(IReadOnlyList<LiveProcess> processes, TimeSpan grace, CancellationToken hurry)
    {
        if (!hurry.IsCancellationRequested)
        {
            Signal(processes, SigTerm);
            await WaitForExitAsync(processes, grace, hurry);
        }

        Signal(processes.Where(IsAlive), SigKill);
        await WaitForExitAsync(processes, KillWait, CancellationToken.None);
        return [.. processes.Where(IsAlive)];
    }

    private static void Signal(IEnumerable<LiveProcess> processes, int signal)
    {
        foreach (var process in processes)
            _ = Kill(process.Id, signal);
    }

    private static async Task WaitForExitAsync(IReadOnlyList<LiveProcess> processes, TimeSpan limit, CancellationToken cut)
    {
        var waited = TimeSpan.Zero;
        while (waited < limit && !cut.IsCancellationRequested && processes.Any(IsAlive))
        {
            await Task.Delay(Poll, CancellationToken.None);
            waited += Poll;
        }
    }

    /// <summary>A zombie counts as gone: it runs nothing and holds nothing, and it is reaped when its parent exits.</summary>
    private static bool IsAlive(LiveProcess process) => Read(process.Id) is { } now && now.Name == process.Name;

    private static Dictionary<int, LiveProcess> Snapshot()
    {
        var table = new Dictionary<int, LiveProcess>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && Read(id) is { } process)
                table[id] = process;
        }

        return table;
    }

    /// <summary>Parses <c>/proc/PID/stat</c>: <c>pid (comm) state ppid ...</c>, where comm may itself hold spaces and parentheses.</summary>
    private static LiveProcess? Read(int id)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{id}/stat");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open)
            return null;
        var fields = stat[(close + 2)..].Split(' ');
        if (fields.Length < 2 || fields[0] is "Z" or "X" || !int.TryParse(fields[1], CultureInfo.InvariantCulture, out var parent))
            return null;
        return new LiveProcess(id, parent, stat[(open + 1)..close]);
    }

    private static bool CarriesMarker(int id, string marker)
    {
        byte[] environment;
        try
        {
            environment = File.ReadAllBytes($"/proc/{id}/environ");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        var wanted = Encoding.UTF8.GetBytes(marker);
        foreach (var range in environment.AsSpan().Split((byte)0))
        {
            if (environment.AsSpan()[range].SequenceEqual(wanted))
                return true;
        }

        return false;
    }

    // DllImport rather than LibraryImport: both signatures are blittable, and LibraryImport would need unsafe code enabled.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static extern int SetChildSubreaper(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
