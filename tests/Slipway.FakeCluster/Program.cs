using System.Text.Json;
using Slipway.FakeCluster;

// kubectl, helm and kind as one program: the first argument says which tool it plays (the wrapper scripts a test puts
// on its --kubectl/--helm/--kind pass it), the rest are that tool's arguments. They share one simulated cluster state,
// a JSON file named by SLIPWAY_FAKE_CLUSTER, locked while read or written; every invocation is appended, with its pid
// and arguments, to <state>.calls before it runs, so a test sees also the calls of a process it killed (and can check
// that none of them is left running).
if (args.Length == 0 || args[0] is not ("kubectl" or "helm" or "kind"))
{
    Console.Error.WriteLine("usage: Slipway.FakeCluster kubectl|helm|kind <arguments>");
    return 2;
}

var tool = args[0];
var toolArgs = args[1..];
var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
var stderr = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
try
{
    var statePath = FakeState.PathFromEnvironment();
    Calls.Record(statePath, tool, toolArgs);
    return tool switch
    {
        "kubectl" => FakeKubectl.Run(toolArgs, stdout, stderr, statePath),
        "helm" => FakeHelm.Run(toolArgs, stdout, stderr, statePath),
        _ => FakeKind.Run(toolArgs, stdout, stderr, statePath),
    };
}
catch (FakeExit exit)
{
    stdout.Flush();
    stderr.WriteLine(exit.Message);
    return exit.Code;
}
finally
{
    stdout.Flush();
}

namespace Slipway.FakeCluster
{
    /// <summary>One invocation: which process, the tool it played, and its arguments.</summary>
    public sealed record Call(int Pid, string Tool, IReadOnlyList<string> Arguments)
    {
        public string Line => string.Join(' ', Arguments);
    }

    /// <summary>The invocation log: one JSON object per line.</summary>
    public static class Calls
    {
        public static string PathFor(string statePath) => statePath + ".calls";

        public static void Record(string statePath, string tool, IReadOnlyList<string> arguments)
        {
            var line = JsonSerializer.Serialize(new Call(Environment.ProcessId, tool, arguments)) + "\n";
            // O_APPEND writes of one short line do not interleave between processes.
            File.AppendAllText(PathFor(statePath), line);
        }

        public static IReadOnlyList<Call> Read(string statePath) =>
            File.Exists(PathFor(statePath))
                ? [.. File.ReadAllLines(PathFor(statePath)).Select(line => JsonSerializer.Deserialize<Call>(line)!)]
                : [];
    }
}
