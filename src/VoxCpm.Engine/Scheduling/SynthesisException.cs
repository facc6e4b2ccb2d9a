namespace VoxCpm.Engine.Scheduling;

/// <summary>A request-level failure with a stable error code (the codes of PROTOCOL.md).</summary>
public sealed class SynthesisException : Exception
{
    public SynthesisException()
    {
        Code = "synthesis_failed";
    }

    public SynthesisException(string message)
        : this("synthesis_failed", message)
    {
    }

    public SynthesisException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "synthesis_failed";
    }

    public SynthesisException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public SynthesisException(string code, string message, Exception innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    public string Code { get; }
}
