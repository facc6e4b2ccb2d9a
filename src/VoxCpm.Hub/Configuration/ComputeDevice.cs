namespace VoxCpm.Hub.Configuration;

/// <summary>TTS_DEVICE. With <see cref="Cuda"/> and no usable GPU, the engine falls back to the CPU and says so.</summary>
internal enum ComputeDevice
{
    Cuda,
    Cpu,
    Auto,
}
