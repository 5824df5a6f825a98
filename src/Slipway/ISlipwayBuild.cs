using Slipway.Execution;
using Slipway.Hosts;
using Slipway.Logging;
using Slipway.Parameters;
using Slipway.Processes;
using Slipway.Secrets;

namespace Slipway;

/// <summary>What a build offers its components: the root, the log, the process runner, secrets, results of earlier targets.</summary>
public interface ISlipwayBuild
{
    /// <summary>The repository root: the directory that holds <c>.nuke/</c>.</summary>
    string RootDirectory { get; }

    /// <summary>The running target's log.</summary>
    IBuildLog Log { get; }

    IProcessRunner Processes { get; }

    /// <summary>
    /// This run's own temp folder, removed when the run ends whatever happens (also after a second signal). Every child process
    /// gets it as TMPDIR, so tool temp files (MSBuildTemp*) land here too; create a component's temp folders inside it.
    /// </summary>
    string TemporaryDirectory { get; }

    /// <summary>A new, empty folder inside <see cref="TemporaryDirectory"/>, named <paramref name="prefix"/> plus a random suffix.</summary>
    DirectoryInfo CreateTemporaryDirectory(string prefix)
    {
        var path = Path.Combine(TemporaryDirectory, prefix + Path.GetRandomFileName().Replace(".", string.Empty, StringComparison.Ordinal));
        // Private, as Directory.CreateTempSubdirectory makes its folders: the temp root itself lets others pass through.
        return OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(path)
            : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    SecretRegistry Secrets { get; }

    BuildHost Host { get; }

    RunReport Report { get; }

    /// <summary>The result an earlier target produced; the reading target must depend on it.</summary>
    T ResultOf<T>(Target target)
        where T : notnull;

    /// <summary>Like <see cref="ResultOf{T}"/>, but null when the producer was skipped.</summary>
    T? TryResultOf<T>(Target target)
        where T : class;

    /// <summary>How an earlier target ended (succeeded, failed with its reason, skipped with its reason); the reading target must run after it.</summary>
    TargetOutcome OutcomeOf(Target target);

    /// <summary>Whether this run's plan holds the target (requested, or needed by one that is); false before the plan exists.</summary>
    bool IsPlanned(Target target);

    /// <summary>An environment variable of the run (CI context such as GITHUB_REF); null when unset or empty.</summary>
    string? Variable(string name);

    /// <summary>The bound value of a parameter declared as a getter-only component property.</summary>
    T? ParameterValue<T>(string name);

    /// <summary>Where a parameter's value came from (command line, variable, file and line, or its default), for messages about that value.</summary>
    ParameterSource ParameterSourceOf(string name);

    /// <summary>One instance per build of a component's service (a tool resolver, a registry handle), made on first use.</summary>
    T Shared<T>(Func<T> create)
        where T : class;
}
