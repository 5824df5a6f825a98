namespace Slipway.Logging;

/// <summary>Where a target, a component or a tool writes what it has to say; every line is redacted before it leaves.</summary>
public interface IBuildLog
{
    void Debug(string message);

    void Info(string message);

    void Warning(string message);

    void Error(string message);

    /// <summary>One line of a child process's output.</summary>
    void Output(string line);
}
