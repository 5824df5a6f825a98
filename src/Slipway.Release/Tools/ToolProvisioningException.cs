namespace Slipway.Release.Tools;

/// <summary>A tool could not be found or provisioned; the message says what was tried and what to install.</summary>
public sealed class ToolProvisioningException(string message, Exception? inner = null) : Exception(message, inner);
