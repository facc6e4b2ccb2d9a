namespace VoxCpm.Hub.Jobs;

/// <summary>A failure that retrying cannot fix (invalid request, unusable prompt audio, unknown voice): the job fails at once.</summary>
public sealed class PermanentSynthesisFailureException : Exception
{
    public PermanentSynthesisFailureException()
    {
    }

    public PermanentSynthesisFailureException(string message)
        : base(message)
    {
    }

    public PermanentSynthesisFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A failure that may pass (busy, model not loaded yet, engine fault): Hangfire retries the job.</summary>
public sealed class TransientSynthesisFailureException : Exception
{
    public TransientSynthesisFailureException()
    {
    }

    public TransientSynthesisFailureException(string message)
        : base(message)
    {
    }

    public TransientSynthesisFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
