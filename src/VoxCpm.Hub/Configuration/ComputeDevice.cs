namespace VoxCpm.Hub.Configuration;

/// <summary>TTS_DEVICE. <see cref="Cuda"/> insists on the GPU (start fails naming the missing CUDA library); <see cref="Auto"/> falls back to the CPU and says so.</summary>
internal enum ComputeDevice
{
    Cuda,
    Cpu,
    Auto,
}
