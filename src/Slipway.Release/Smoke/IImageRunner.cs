using Slipway.Release.Containers;

namespace Slipway.Release.Smoke;

/// <summary>Starts an unpacked image the way the chart runs it: the boundary the smoke stage drives (<see cref="ImageRunner"/> is the real one).</summary>
public interface IImageRunner
{
    /// <summary>Starts the image's process, or says why it cannot run here; the launch owns <paramref name="rootfs"/> either way.</summary>
    Task<ImageLaunch> StartAsync(ImageRootfs rootfs, RunSpec spec, CancellationToken cancellationToken = default);
}
