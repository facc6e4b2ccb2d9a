namespace VoxCpm.Engine.Audio;

/// <summary>Why an audio upload was refused, so a transport can answer 400, 413 or 415 without parsing text.</summary>
public enum AudioRejection
{
    /// <summary>Not a well-formed file of the claimed format (truncated header, inconsistent fields).</summary>
    Malformed,

    /// <summary>Well formed, but a format, codec, sample width or rate this decoder does not handle.</summary>
    Unsupported,

    /// <summary>Larger or longer than the configured limit.</summary>
    TooLarge,
}

/// <summary>Reference audio that cannot be used; the message names the problem (and the limit, where one applies).</summary>
public sealed class AudioFormatException : Exception
{
    public AudioFormatException()
    {
    }

    public AudioFormatException(string message)
        : base(message)
    {
    }

    public AudioFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AudioFormatException(AudioRejection rejection, string message)
        : base(message)
    {
        Rejection = rejection;
    }

    public AudioRejection Rejection { get; }
}
