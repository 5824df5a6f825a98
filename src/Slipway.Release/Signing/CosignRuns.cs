using Slipway.Processes;
using Slipway.Release.Oci;
using Slipway.Secrets;

namespace Slipway.Release.Signing;

/// <summary>cosign failed in a way another attempt cannot change; the message is cosign's own last lines, redacted.</summary>
public sealed class CosignFailedException(string message, ToolResult? result) : Exception(message)
{
    public ToolResult? Result { get; } = result;
}

/// <summary>One cosign run as the retry policy sees it: success, a <see cref="TransientFaultException"/>, or a <see cref="CosignFailedException"/>.</summary>
internal static class CosignRuns
{
    public static async Task<ToolResult> RunAsync(Func<Task<ToolResult>> run, SecretRegistry secrets)
    {
        ToolResult result;
        try
        {
            result = await run();
        }
        catch (ToolFailedException exception) when (exception.Result is not null)
        {
            // The runner's timeout: cosign hung on a registry or a Sigstore service.
            throw new TransientFaultException(new TransientFault("cosign timed out"), secrets.Redact(exception.Message));
        }
        catch (ToolFailedException exception)
        {
            throw new CosignFailedException(secrets.Redact(exception.Message), null);
        }

        if (result.Succeeded)
            return result;
        var output = secrets.Redact(result.StandardError + "\n" + result.StandardOutput);
        var tail = Tail(output);
        throw ToolOutputFaults.Classify(output) is { } fault
            ? new TransientFaultException(fault, $"exit code {result.ExitCode}: {tail}")
            : new CosignFailedException($"exit code {result.ExitCode}: {tail}", result);
    }

    public static string Tail(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : string.Join(" | ", lines.TakeLast(5));
    }
}
