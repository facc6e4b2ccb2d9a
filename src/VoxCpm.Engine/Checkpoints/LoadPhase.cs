namespace VoxCpm.Engine.Checkpoints;

/// <summary>The phases of a model load that <see cref="LoadTimings"/> times separately.</summary>
public enum LoadPhase
{
    /// <summary>Reading the checkpoint files (or drawing random weights) into float32 tensors.</summary>
    CheckpointRead,

    /// <summary>Turning checkpoint tensors into what the graphs hold: transposed and fused matrices, scaling, float16, quantization.</summary>
    WeightConversion,

    /// <summary>Emitting and serializing the ONNX graphs.</summary>
    GraphBuild,

    /// <summary>ONNX Runtime session creation: graph optimization, kernel creation and weight prepacking.</summary>
    SessionCreation,

    /// <summary>The first syntheses that pay for lazy initialisation (run by the host or the bench, not by the engine load).</summary>
    WarmUp,
}
