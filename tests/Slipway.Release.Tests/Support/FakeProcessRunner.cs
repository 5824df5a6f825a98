using Slipway.Processes;

namespace Slipway.Release.Tests.Support;

/// <summary>Records every command and answers with whatever the test scripted for it.</summary>
internal sealed class FakeProcessRunner(Func<ToolCommand, ToolResult> answer) : IProcessRunner
{
    private readonly List<ToolCommand> _commands = [];

    public IReadOnlyList<ToolCommand> Commands
    {
        get
        {
            lock (_commands)
                return [.. _commands];
        }
    }

    public static ToolResult Exit(int code, string stdout = "", string stderr = "") => new(code, stdout, stderr, TimeSpan.Zero);

    public Task<ToolResult> RunAsync(ToolCommand command, CancellationToken cancellationToken = default)
    {
        lock (_commands)
            _commands.Add(command);
        return Task.FromResult(answer(command));
    }
}
