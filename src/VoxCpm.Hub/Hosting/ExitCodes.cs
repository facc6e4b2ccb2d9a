namespace VoxCpm.Hub.Hosting;

/// <summary>The hub's process exit codes (sysexits.h spelling where one fits).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>EX_SOFTWARE: a step such as <c>--migrate</c> failed.</summary>
    public const int Failure = 70;

    /// <summary>EX_CONFIG: a setting is invalid; the message names it and the allowed values.</summary>
    public const int InvalidConfiguration = 78;
}
