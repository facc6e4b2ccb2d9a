namespace VoxCpm.Engine.Scheduling;

/// <summary>The waiting queue is full.</summary>
public sealed class SchedulerBusyException : Exception
{
    public SchedulerBusyException()
    {
    }

    public SchedulerBusyException(string message)
        : base(message)
    {
    }

    public SchedulerBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
