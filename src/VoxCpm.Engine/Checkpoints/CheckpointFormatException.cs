namespace VoxCpm.Engine.Checkpoints;

/// <summary>A checkpoint file is malformed, truncated, hostile or does not match the model config.</summary>
public sealed class CheckpointFormatException : Exception
{
    public CheckpointFormatException()
    {
    }

    public CheckpointFormatException(string message)
        : base(message)
    {
    }

    public CheckpointFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CheckpointFormatException(string path, string problem)
        : base($"{System.IO.Path.GetFileName(path)}: {problem}.")
    {
        FilePath = path;
    }

    public string? FilePath { get; }
}
