using Slipway.Execution;

namespace Slipway.Tests;

/// <summary>Removing a run's temp root for good.</summary>
public sealed class TemporaryFolderTests
{
    /// <summary>
    /// After a second signal the run removes its temp root while an abandoned target may still remove its own folder inside
    /// it (an image smoke deleting the unpacked rootfs): entries vanishing under the delete must not leave the root behind.
    /// </summary>
    [Fact]
    public async Task A_tree_that_another_deleter_empties_at_the_same_time_is_still_removed()
    {
        for (var round = 0; round < 3; round++)
        {
            var root = Directory.CreateTempSubdirectory("slipway-race-").FullName;
            var inner = Path.Combine(root, "slipway-rootfs");
            for (var folder = 0; folder < 20; folder++)
            {
                var directory = Directory.CreateDirectory(Path.Combine(inner, $"d{folder}"));
                for (var file = 0; file < 20; file++)
                    File.WriteAllText(Path.Combine(directory.FullName, $"f{file}"), string.Empty);
            }

            using var start = new Barrier(2);
            var abandoned = Task.Run(() =>
            {
                start.SignalAndWait();
                try
                {
                    Directory.Delete(inner, recursive: true);
                }
                catch (IOException)
                {
                    // The other side of the race: what it fails to delete, the run's delete removes.
                }
            });
            start.SignalAndWait();

            TemporaryFolder.Delete(root);
            await abandoned;

            Assert.False(Directory.Exists(root), $"round {round}: {root} is left");
        }
    }
}
