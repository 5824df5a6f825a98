[assembly: Slipway.EnvironmentVariable("SLIPWAY_TOOL_CACHE", "Where pinned tools are kept (default: $XDG_CACHE_HOME/slipway/tools, else ~/.cache/slipway/tools)")]
