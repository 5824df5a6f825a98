// The integration tests share the host: the smoke binds the chart's own port (8080), and several tests check that no
// registry or rootfs temp folder is left behind by counting them. Run the classes one at a time so none sees another's.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
