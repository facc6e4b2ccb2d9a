namespace VoxCpm.Hub.Client;

/// <summary>A synthesis the server accepted but could not finish (an <c>error</c> stream item), e.g. cancelled or failed.</summary>
public sealed class SynthesisFailedException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public SynthesisFailedException()
        : this("internal_error", "The synthesis failed.", null)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public SynthesisFailedException(string message)
        : this("internal_error", message, null)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public SynthesisFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "internal_error";
    }

    /// <summary>Creates an exception from the server's error item.</summary>
    public SynthesisFailedException(string code, string message, string? field)
        : base($"[{code}] {message}")
    {
        Code = code;
        Field = field;
    }

    /// <summary>The stable error code (see PROTOCOL.md), e.g. <c>cancelled</c> or <c>synthesis_failed</c>.</summary>
    public string Code { get; }

    /// <summary>The request field at fault, when one is.</summary>
    public string? Field { get; }
}
