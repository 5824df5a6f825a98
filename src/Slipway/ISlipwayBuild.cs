using Slipway.Execution;
using Slipway.Hosts;
using Slipway.Logging;
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

    /// <summary>One instance per build of a component's service (a tool resolver, a registry handle), made on first use.</summary>
    T Shared<T>(Func<T> create)
        where T : class;
}
