
namespace Slipway.Tests.Process;

/// <summary>A throwaway repository with this repo's build.sh and a small build on the engine, compiled once for all tests.</summary>
public sealed class BuildScriptFixture : IAsyncLifetime
{
    private const string BuildSource = """"
        using Slipway;
        using Slipway.Processes;

        class Build : SlipwayBuild
        {
            public static int Main(string[] args) => Execute<Build>(args, x => x.Long);

            [Parameter("A token"), Secret]
            readonly string? Token;

            [Parameter("Where the test reads markers")]
            readonly string Markers = ".";

            [Parameter("How long Setup's cleanup takes unless its token fires")]
            readonly int CleanupMilliseconds = 200;

            Target Setup => _ => _
                .Executes(() => File.WriteAllText(Path.Combine(Markers, "setup"), "started"))
                .Cleanup(async ct =>
                {
                    try
                    {
                        await Task.Delay(CleanupMilliseconds, ct);
                    }
                    finally
                    {
                        File.WriteAllText(Path.Combine(Markers, "cleanup"), ct.IsCancellationRequested ? "cut short" : "done");
                    }
                });

            Target Long => _ => _
                .DependsOn(Setup)
                .Executes(ct => Processes.RunAsync(new ToolCommand("sh", "-c", $"sleep 300 & echo $! > {Markers}/child.pid; wait"), ct));

            // The child double-forks a grandchild that leaves its session, ignores SIGTERM, works in a folder of the run's temp
            // root and drops its environment (so the run's marker too): out of reach of the child's tree kill and of a search by
            // marker, so only the build process being a child subreaper keeps it findable.
            Target Held => _ => _
                .DependsOn(Setup)
                .Executes(ct => Processes.RunAsync(new ToolCommand("sh", "-c", """
                    echo "$TMPDIR" > "$MARKERS/tmpdir"; echo "$SLIPWAY_RUN_ID" > "$MARKERS/run-id"; echo $$ > "$MARKERS/child.pid"
                    ( setsid sh -c 'trap "" TERM; mkdir "$TMPDIR/held"; cd "$TMPDIR/held"; echo $$ > "$MARKERS/grandchild.pid"; exec env -i sleep 300' & )
                    exec sleep 300
                    """).WithEnvironment("MARKERS", Markers), ct));

            Target Echo => _ => _
                .Executes(ct => Processes.RunAsync(
                    new ToolCommand("sh", "-c", "echo the token is $SECRET_TOKEN; echo $SECRET_TOKEN >&2").WithEnvironment("SECRET_TOKEN", Token),
                    ct));

            Target Fail => _ => _.Executes(() => throw new InvalidOperationException("boom"));

            Target Fine => _ => _.Executes(() => Log.Info("fine"));
        }
        """";

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "slipway-script-" + Guid.NewGuid().ToString("N")[..12]);

    public async Task InitializeAsync()
    {
        TestRepository.WriteBuild(Root, BuildSource, "Slipway", "CliWrap");
        var compile = await RunAsync(["Fine"]);
        if (compile.ExitCode != 0)
            throw new InvalidOperationException($"The fixture build did not compile or run:\n{compile.Output}");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }

    internal BuildProcess Start(params string[] args) => BuildProcess.Start(Root, null, args);

    internal Task<(int ExitCode, string Output)> RunAsync(string[] args, TimeSpan? timeout = null) =>
        BuildProcess.RunAsync(Root, null, timeout ?? TimeSpan.FromMinutes(3), args);
}
