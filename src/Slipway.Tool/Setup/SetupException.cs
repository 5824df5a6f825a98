namespace Slipway.Tool.Setup;

/// <summary>Setup cannot go on: the message names what is wrong, where it was looked for, and the next step.</summary>
public sealed class SetupException(string message) : Exception(message);
