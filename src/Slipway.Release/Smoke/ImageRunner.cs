using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Slipway.Logging;
using Slipway.Processes;
using Slipway.Release.Containers;
using Slipway.Release.Tools;

namespace Slipway.Release.Smoke;

/// <summary>Started, or skipped with the reason (a platform that cannot run here); a skipped image's rootfs is already deleted.</summary>
public abstract record ImageLaunch
{
    public sealed record Started(RunningImage Image) : ImageLaunch;

    public sealed record Skipped(string Platform, string Reason) : ImageLaunch;
}

/// <summary>The image cannot be started as the chart says (nothing to run, its port taken on this machine, ...).</summary>
public sealed class ImageRunException(string message) : Exception(message);

/// <summary>
/// Runs an unpacked image's entrypoint the way the chart's container would run it, without a container runtime: env is
/// the image's env overlaid with the chart's (the chart wins), command/args from the chart replace entrypoint/cmd, the
/// working directory from the image, the user from the chart (else the image). Host networking: the app binds the
/// chart's own port on this machine.
/// <list type="bullet">
/// <item>Native architecture (needs root): a private mount namespace with the host's /dev bound and a fresh /proc
/// mounted into the rootfs, then <c>unshare --root=&lt;rootfs&gt; --wd=&lt;workdir&gt; --setgid G --setuid U</c>: the image's own
/// files and libraries, the process sees only its root.</item>
/// <item>Foreign architecture: <c>setpriv --reuid U --regid G --clear-groups qemu-&lt;arch&gt;-static -L &lt;rootfs&gt; &lt;rootfs&gt;/&lt;exe&gt;</c>,
/// with qemu from PATH or provisioned from Debian into the tool cache; skipped with the reason when there is none.</item>
/// </list>
/// The process starts through the process runner with a lifetime token of its own (so cancellation kills its tree);
/// stopping sends SIGTERM, kills after a grace period, and deletes the rootfs, always.
/// </summary>
/// <param name="createTemporaryDirectory">Makes each running image's state folder (a build's <c>CreateTemporaryDirectory</c>: in the run's temp root).</param>
public sealed class ImageRunner(IProcessRunner runner, IBuildLog log, QemuProvisioner qemu, Func<string, DirectoryInfo> createTemporaryDirectory) : IImageRunner
{
    // Inside the new mount namespace, what a runtime sets up: the root as a mount of its own (so it can be made
    // read-only), the host's /dev, a fresh /proc, a tmpfs per emptyDir; then the root switch (no namespace flags: a
    // chroot, working directory and user change, and exec of the entrypoint). $0 root, $1 read-only (1/0), $2 count of
    // emptyDir paths, then those paths (already resolved inside the root), then the command.
    private const string MountsThenRoot = """
        r="$0"; ro="$1"; n="$2"; shift 2
        MOUNT --bind "$r" "$r" && MOUNT --rbind /dev "$r/dev" && MOUNT -t proc proc "$r/proc" || exit 125
        while [ "$n" -gt 0 ]; do MOUNT -t tmpfs -o mode=1777 tmpfs "$1" || exit 125; shift; n=$((n-1)); done
        if [ "$ro" = 1 ]; then MOUNT -o remount,bind,ro "$r" || exit 125; fi
        exec "$@"
        """;

    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Starts the image's process; the returned image owns <paramref name="rootfs"/> (deleted when it stops).</summary>
    /// <exception cref="ImageRunException">Nothing to run, or a port of the chart is already taken on this machine.</exception>
    public async Task<ImageLaunch> StartAsync(ImageRootfs rootfs, RunSpec spec, CancellationToken cancellationToken = default)
    {
        try
        {
            var launch = await StartCoreAsync(rootfs, spec, cancellationToken);
            if (launch is ImageLaunch.Skipped skipped)
            {
                log.Warning($"Image smoke for {skipped.Platform} SKIPPED: {skipped.Reason}.");
                rootfs.Dispose();
            }

            return launch;
        }
        catch
        {
            rootfs.Dispose();
            throw;
        }
    }

    /// <summary>The machine's architecture in OCI (GOARCH) spelling.</summary>
    public static string NativeArchitecture => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "386",
        Architecture.Arm => "arm",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        Architecture.LoongArch64 => "loong64",
        var other => other.ToString().ToLowerInvariant(),
    };

    private async Task<ImageLaunch> StartCoreAsync(ImageRootfs rootfs, RunSpec spec, CancellationToken cancellationToken)
    {
        var config = rootfs.Config;
        var notes = new List<string>(spec.Notes);
        var argv = Argv(config, spec);
        var environment = Environment(config, spec);
        var (uid, gid) = User(rootfs, spec, notes);
        var isRoot = System.Environment.IsPrivilegedProcess;
        var native = config.Architecture == NativeArchitecture;

        EnsurePortsFree(spec);

        List<string> command;
        string workingDirectory;
        string how;
        if (native)
        {
            if (!isRoot)
                return new ImageLaunch.Skipped(config.Platform, "running the native image needs root here (a mount namespace with /proc and /dev: unshare --mount), and this build is not root");
            if (ExecutableSearch.FindOnPath("unshare") is not { } unshare || ExecutableSearch.FindOnPath("mount") is not { } mount)
                return new ImageLaunch.Skipped(config.Platform, "util-linux 'unshare' and 'mount' are needed to run the native image in a mount namespace, and are not on PATH");
            foreach (var folder in new[] { "dev", "proc" })
                Directory.CreateDirectory(Path.Combine(rootfs.RootPath, folder));
            var emptyDirs = spec.EmptyDirMounts
                .Select(path => LayerUnpacker.ResolveInside(rootfs.RootPath, path.Split('/', StringSplitOptions.RemoveEmptyEntries), path, followLast: true))
                .ToList();
            foreach (var directory in emptyDirs)
                Directory.CreateDirectory(directory);
            if (!spec.EmptyDirMounts.Contains("/tmp"))
                EnsureTmp(rootfs, notes);
            List<string> chroot = [unshare, $"--root={rootfs.RootPath}", $"--wd={config.WorkingDirectory}"];
            if (uid != 0)
                chroot.AddRange(["--setgid", gid.ToString(CultureInfo.InvariantCulture), "--setuid", uid.ToString(CultureInfo.InvariantCulture)]);
            command =
            [
                unshare, "--mount", "--propagation", "private", "--", "/bin/sh", "-c", MountsThenRoot.Replace("MOUNT", mount, StringComparison.Ordinal),
                rootfs.RootPath, spec.ReadOnlyRootFilesystem ? "1" : "0", emptyDirs.Count.ToString(CultureInfo.InvariantCulture), .. emptyDirs,
                .. chroot, "--", .. argv,
            ];
            workingDirectory = rootfs.RootPath;
            how = $"natively in a mount namespace (unshare --mount, /dev, /proc{(emptyDirs.Count == 0 ? string.Empty : ", emptyDir tmpfs at " + string.Join(", ", spec.EmptyDirMounts))}{(spec.ReadOnlyRootFilesystem ? ", read-only root" : string.Empty)}, --root)";
        }
        else
        {
            var emulator = await qemu.ResolveAsync(config.Architecture, cancellationToken);
            if (emulator is QemuResolution.Unavailable unavailable)
                return new ImageLaunch.Skipped(config.Platform, $"{config.Platform} is not this machine's architecture ({NativeArchitecture}) and there is no qemu for it: {unavailable.Reason}");
            var qemuPath = ((QemuResolution.Found)emulator).Path;
            EnsureTmp(rootfs, notes);
            if (spec.ReadOnlyRootFilesystem || spec.EmptyDirMounts.Count > 0)
                notes.Add("under qemu the process sees this machine's file system around its root: readOnlyRootFilesystem and emptyDir mounts are not reproduced");
            var executable = ExecutableInRoot(rootfs, argv[0], environment);
            command = [qemuPath, "-L", rootfs.RootPath, executable, .. argv.Skip(1)];
            if (uid != 0)
            {
                if (isRoot && ExecutableSearch.FindOnPath("setpriv") is { } setpriv)
                {
                    // Under qemu the app opens its files by host paths as that user (no chroot), so every folder above its root
                    // must let others pass; a private TMPDIR would otherwise make it exit before it logs a line.
                    if (!OperatingSystem.IsWindows() && ClosedAncestor(rootfs.RootPath) is { } closed)
                        throw new ImageRunException(
                            $"The {config.Platform} app runs under qemu as user {uid}, which cannot pass through {closed} (mode {Convert.ToString((int)File.GetUnixFileMode(closed), 8)}), above the image's root {rootfs.RootPath}. " +
                            $"Next step: give the build a TMPDIR others may pass through (e.g. TMPDIR=/tmp ./build.sh ...), or chmod o+x {closed}.");
                    command.InsertRange(0, [setpriv, "--reuid", uid.ToString(CultureInfo.InvariantCulture), "--regid", gid.ToString(CultureInfo.InvariantCulture), "--clear-groups", "--"]);
                }
                else
                {
                    notes.Add($"user {uid}:{gid} not applied ({(isRoot ? "no setpriv (util-linux) on PATH" : "this build is not root")}); ran as the build's user");
                }
            }

            workingDirectory = Path.Combine(rootfs.RootPath, config.WorkingDirectory.TrimStart('/'));
            if (!Directory.Exists(workingDirectory))
                workingDirectory = rootfs.RootPath;
            how = $"under qemu user emulation ({qemuPath}, from {((QemuResolution.Found)emulator).Source})";
        }

        var image = await RunningImage.LaunchAsync(runner, log, rootfs, createTemporaryDirectory("slipway-run-"), command, environment, workingDirectory, notes, StopGracePeriod, cancellationToken);
        log.Info($"Started {config.Platform} image {how} as {uid}:{gid}: {string.Join(' ', argv)} (pid {image.ProcessId?.ToString(CultureInfo.InvariantCulture) ?? "?"}).");
        foreach (var note in notes)
            log.Info($"  note: {note}");
        return new ImageLaunch.Started(image);
    }

    /// <summary>The nearest folder above <paramref name="path"/> that others may not pass through (no o+x); null when there is none.</summary>
    internal static string? ClosedAncestor(string path)
    {
        if (OperatingSystem.IsWindows())
            return null;
        for (var folder = Path.GetDirectoryName(Path.GetFullPath(path)); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (!File.GetUnixFileMode(folder).HasFlag(UnixFileMode.OtherExecute))
                return folder;
        }

        return null;
    }

    /// <summary>Kubernetes' rule: command replaces the entrypoint (and drops the image's cmd); args replace cmd.</summary>
    internal static IReadOnlyList<string> Argv(ImageConfig config, RunSpec spec)
    {
        var entrypoint = spec.Command ?? config.Entrypoint;
        var arguments = spec.Args ?? (spec.Command is null ? config.Cmd : []);
        var argv = entrypoint.Concat(arguments).ToList();
        if (argv.Count == 0)
            throw new ImageRunException($"Nothing to run: the image has no Entrypoint or Cmd, and the chart sets no command ({spec.ContainerField}.command).");
        return argv;
    }

    /// <summary>The image's env, then the chart's (the chart wins); nothing from this machine's environment.</summary>
    internal static Dictionary<string, string> Environment(ImageConfig config, RunSpec spec)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in config.Env)
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
                environment[entry[..equals]] = entry[(equals + 1)..];
        }

        foreach (var (name, setting) in spec.EffectiveEnvironment)
            environment[name] = setting.Value;
        return environment;
    }

    private static (long Uid, long Gid) User(ImageRootfs rootfs, RunSpec spec, List<string> notes)
    {
        var (imageUid, imageGid) = rootfs.Config.NumericUser();
        if (imageUid is null && rootfs.Config.User.Length > 0)
        {
            var name = rootfs.Config.User.Split(':')[0];
            var passwd = Path.Combine(rootfs.RootPath, "etc", "passwd");
            var entry = File.Exists(passwd) ? File.ReadLines(passwd).Select(line => line.Split(':')).FirstOrDefault(fields => fields.Length > 3 && fields[0] == name) : null;
            if (entry is not null)
            {
                imageUid = long.Parse(entry[2], CultureInfo.InvariantCulture);
                imageGid ??= long.Parse(entry[3], CultureInfo.InvariantCulture);
            }
            else if (spec.RunAsUser is null)
            {
                notes.Add($"the image's user '{rootfs.Config.User}' is not in its /etc/passwd; ran as root");
            }
        }

        var uid = spec.RunAsUser ?? imageUid ?? 0;
        var gid = spec.RunAsGroup ?? (spec.RunAsUser is null ? imageGid : null) ?? imageGid ?? 0;
        return (uid, gid);
    }

    /// <summary>Where the entrypoint is on this machine, for qemu: inside the root, following links as the container would.</summary>
    private static string ExecutableInRoot(ImageRootfs rootfs, string executable, IReadOnlyDictionary<string, string> environment)
    {
        IEnumerable<string> candidates = executable.Contains('/', StringComparison.Ordinal)
            ? [executable.StartsWith('/') ? executable : $"{rootfs.Config.WorkingDirectory.TrimEnd('/')}/{executable}"]
            : (environment.GetValueOrDefault("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").Split(':').Select(directory => $"{directory.TrimEnd('/')}/{executable}");
        foreach (var candidate in candidates)
        {
            var resolved = LayerUnpacker.ResolveInside(rootfs.RootPath, candidate.Split('/', StringSplitOptions.RemoveEmptyEntries), candidate, followLast: true);
            if (File.Exists(resolved))
                return resolved;
        }

        throw new ImageRunException($"The entrypoint '{executable}' is not in the image (looked in {string.Join(", ", candidates)}).");
    }

    /// <summary>The chart usually mounts an emptyDir at /tmp; give the process a writable one.</summary>
    private static void EnsureTmp(ImageRootfs rootfs, List<string> notes)
    {
        var tmp = Path.Combine(rootfs.RootPath, "tmp");
        if (Directory.Exists(tmp))
            return;
        Directory.CreateDirectory(tmp);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(tmp, (UnixFileMode)0b1_111_111_111);
        notes.Add("created a writable /tmp in the rootfs (the image has none)");
    }

    private static void EnsurePortsFree(RunSpec spec)
    {
        foreach (var port in spec.Ports)
        {
            try
            {
                using var listener = new TcpListener(IPAddress.IPv6Any, port.Number);
                listener.Server.DualMode = true;
                listener.Start();
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new ImageRunException(
                    $"Port {port.Number} ({port.Field}) is already in use on this machine. The image smoke runs the app on the chart's own port with host " +
                    "networking, to prove the port wiring; stop what listens there (ss -ltnp) or run one smoke at a time.");
            }
        }
    }
}
