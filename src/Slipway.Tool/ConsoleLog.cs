using Slipway.Logging;

namespace Slipway.Tool;

/// <summary>Setup's output: plain lines on stdout, warnings and errors on stderr with their prefix.</summary>
internal sealed class ConsoleLog(TextWriter output, TextWriter errors) : IBuildLog
{
    public void Debug(string message)
    {
    }

    public void Info(string message) => output.WriteLine(message);

    public void Warning(string message) => errors.WriteLine($"warning: {message}");

    public void Error(string message) => errors.WriteLine($"error: {message}");

    public void Output(string line) => output.WriteLine(line);
}
