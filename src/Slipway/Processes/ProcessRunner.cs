using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using CliWrap;
using Slipway.Logging;
using Slipway.Secrets;

namespace Slipway.Processes;

/// <summary>Runs external tools: streamed and captured output, merged environment, timeouts, and process-tree kill on cancellation.</summary>
public interface IProcessRunner
{
    Task<ToolResult> RunAsync(ToolCommand command, CancellationToken cancellationToken = default);
}

/// <inheritdoc />
/// <param name="runEnvironment">Variables every child gets unless its command sets them: the run's TMPDIR and marker.</param>
public sealed class ProcessRunner(IBuildLog log, SecretRegistry secrets, IReadOnlyDictionary<string, string>? runEnvironment = null) : IProcessRunner
{
    private const int ErrorTailLines = 20;

    public async Task<ToolResult> RunAsync(ToolCommand command, CancellationToken cancellationToken = default)
    {
        var standardOutput = new StringBuilder();
        var standardError = new StringBuilder();
        var name = Path.GetFileName(command.FileName);

        using var timeout = command.Timeout is { } limit ? new CancellationTokenSource(limit) : null;
        using var stop = timeout is null
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        // CliWrap gets its own token, cancelled only after the whole tree is killed here: its own kill would orphan grandchildren.
        using var cliStop = new CancellationTokenSource();

        var cli = Cli.Wrap(command.FileName)
            .WithArguments(command.Arguments)
            .WithWorkingDirectory(command.WorkingDirectory ?? Directory.GetCurrentDirectory())
            .WithEnvironmentVariables(variables =>
            {
                foreach (var (key, value) in runEnvironment ?? new Dictionary<string, string>())
                    variables.Set(key, value);
                foreach (var (key, value) in command.Environment)
                    variables.Set(key, value);
            })
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => Capture(standardOutput, line, command.StreamOutput)))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => Capture(standardError, line, command.StreamOutput)));
        if (command.StandardInput is not null)
            cli = cli.WithStandardInputPipe(PipeSource.FromString(command.StandardInput));

        var commandLine = $"> {secrets.Redact(command.ToString())}";
        if (command.StreamOutput)
            log.Info(commandLine);
        else
            log.Debug(commandLine);
        var started = Stopwatch.StartNew();
        CommandTask<CommandResult> running;
        try
        {
            running = cli.ExecuteAsync(cliStop.Token);
        }
        catch (Win32Exception exception)
        {
            throw new ToolFailedException($"Could not start '{name}': {secrets.Redact(exception.Message)}. Is it installed and on PATH?", null);
        }

        await using (stop.Token.Register(() => KillTree(running.ProcessId, cliStop)))
        {
            CommandResult? finished = null;
            try
            {
                finished = await running;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Reported below: the kill may also surface as a plain exit (137) that raced the cancellation.
            }

            var result = new ToolResult(finished?.ExitCode ?? -1, standardOutput.ToString(), standardError.ToString(), started.Elapsed);
            if (cancellationToken.IsCancellationRequested)
                throw new OperationCanceledException($"'{name}' was cancelled; its process tree was killed", cancellationToken);
            if (timeout?.IsCancellationRequested == true)
                throw new ToolFailedException($"'{name}' timed out after {command.Timeout!.Value.TotalSeconds:0.#} s; its process tree was killed{Tail(result)}", result);
            if (result.ExitCode != 0 && command.ThrowOnFailure)
                throw new ToolFailedException($"'{name}' exited with code {result.ExitCode}{Tail(result)}", result);
            return result;
        }
    }

    private void Capture(StringBuilder buffer, string line, bool stream)
    {
        lock (buffer)
            buffer.AppendLine(line);
        if (stream)
            log.Output(secrets.Redact(line));
    }

    private static void KillTree(int processId, CancellationTokenSource cliStop)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or Win32Exception)
        {
            // Already gone.
        }

        cliStop.Cancel();
    }

    private string Tail(ToolResult result)
    {
        var text = string.IsNullOrWhiteSpace(result.StandardError) ? result.StandardOutput : result.StandardError;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? string.Empty : ":" + Environment.NewLine + secrets.Redact(string.Join(Environment.NewLine, lines.TakeLast(ErrorTailLines)));
    }
}
